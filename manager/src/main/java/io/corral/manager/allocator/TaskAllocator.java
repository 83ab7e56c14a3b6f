package io.corral.manager.allocator;

import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.common.ProtoTime;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreEvent;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.WriteTx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader's task allocator: moves NEW tasks that should run to PENDING once their network attachments
 * exist (through the {@link NetworkAttacher} seam), which hands them to the scheduler. Tasks that cannot be
 * attached yet stay NEW with the reason in their status message.
 */
public final class TaskAllocator {

  /** Message of a task waiting for the scheduler (swarmkit's wording, shown by `service ps`). */
  public static final String PENDING_MESSAGE = "pending task scheduling";
  static final int MAX_BATCH = 200;

  private final Store store;
  private final Clock clock;
  private final NetworkAttacher networks;

  public TaskAllocator(Store store, Clock clock, NetworkAttacher networks) {
    this.store = store;
    this.clock = clock;
    this.networks = networks;
  }

  /** Store changes that may give the allocator work. */
  public static boolean relevant(StoreEvent event) {
    return event.is(ObjectKind.TASK) && event.type() != StoreEvent.Type.DELETE;
  }

  /** A task the allocator must handle: still NEW, and still wanted. */
  static boolean needsAllocation(Task t) {
    return t.getStatus().getState() == TaskState.NEW && t.getDesiredStateValue() < TaskState.SHUTDOWN_VALUE;
  }

  /**
   * Allocates every task that needs it, in batches; a batch refused because a task changed meanwhile is
   * retried task by task, and a task refused again is left for the next pass.
   *
   * @return how many tasks became PENDING
   */
  public int allocatePending() {
    List<String> ids = store.view(tx -> tx.find(ObjectKind.TASK, TaskAllocator::needsAllocation))
        .stream().map(Task::getId).toList();
    int moved = 0;
    for (int from = 0; from < ids.size(); from += MAX_BATCH) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + MAX_BATCH));
      try {
        moved += commit(batch);
      } catch (StoreException e) {
        if (!e.isConflict() && e.code() != StoreException.Code.NOT_FOUND) {
          throw e;
        }
        for (String id : batch) {
          try {
            moved += commit(List.of(id));
          } catch (StoreException again) {
            if (!again.isConflict() && again.code() != StoreException.Code.NOT_FOUND) {
              throw again;
            }
          }
        }
      }
    }
    return moved;
  }

  private int commit(List<String> ids) {
    int[] moved = new int[1];
    store.update(tx -> moved[0] = allocate(tx, ids, clock.instant()));
    return moved[0];
  }

  private int allocate(WriteTx tx, List<String> ids, Instant now) {
    int moved = 0;
    List<Task> tasks = new ArrayList<>();
    ids.forEach(id -> tx.get(ObjectKind.TASK, id).filter(TaskAllocator::needsAllocation).ifPresent(tasks::add));
    for (Task t : tasks) {
      NetworkAttacher.Outcome outcome = networks.attach(tx, t);
      if (outcome instanceof NetworkAttacher.Attached a) {
        Task.Builder b = a.task().toBuilder();
        b.getStatusBuilder().setState(TaskState.PENDING).setMessage(PENDING_MESSAGE).setErr("")
            .setTimestamp(ProtoTime.timestamp(now));
        tx.update(b.build());
        moved++;
      } else if (outcome instanceof NetworkAttacher.Waiting w && !w.reason().equals(t.getStatus().getMessage())) {
        Task.Builder b = t.toBuilder();
        b.getStatusBuilder().setMessage(w.reason());
        tx.update(b.build());
      }
    }
    return moved;
  }
}
