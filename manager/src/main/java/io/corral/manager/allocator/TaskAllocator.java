package io.corral.manager.allocator;

import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.common.ProtoTime;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ChangeWriter;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.controller.Planner;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader's task allocator: moves NEW tasks that should run to PENDING once their network
 * attachments exist (through the {@link NetworkAttacher} seam), which hands them to the scheduler.
 * Tasks that cannot be attached yet stay NEW with the reason in their status message. Decides from
 * a snapshot and commits through the {@link ChangeWriter} like every controller: a task (or
 * allocation) changed meanwhile is left for the next pass.
 */
public final class TaskAllocator implements Planner {

  /** Message of a task waiting for the scheduler (swarmkit's wording, shown by `service ps`). */
  public static final String PENDING_MESSAGE = "pending task scheduling";

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
    return t.getStatus().getState() == TaskState.NEW
        && t.getDesiredStateValue() < TaskState.SHUTDOWN_VALUE;
  }

  /**
   * What one pass decided: tasks made PENDING (each with its allocations), and reasons of tasks
   * still waiting.
   */
  private record Decisions(Plan moves, Plan waits) {}

  @Override
  public Plan plan(ClusterSnapshot snapshot, Instant now) {
    Decisions d = decide(snapshot, now);
    return new Plan.Builder().addAll(d.moves()).addAll(d.waits()).build();
  }

  /**
   * Allocates every task that needs it.
   *
   * @return how many tasks became PENDING
   */
  public int allocatePending() {
    Decisions d = decide(store.view(ClusterSnapshot::read), clock.instant());
    int moved = d.moves().isEmpty() ? 0 : ChangeWriter.apply(store, d.moves()).written();
    if (!d.waits().isEmpty()) {
      ChangeWriter.apply(store, d.waits());
    }
    return moved;
  }

  private Decisions decide(ClusterSnapshot snapshot, Instant now) {
    Plan.Builder moves = new Plan.Builder();
    Plan.Builder waits = new Plan.Builder();
    for (Task t : snapshot.tasks()) {
      if (!needsAllocation(t)) {
        continue;
      }
      NetworkAttacher.Outcome outcome = networks.attach(snapshot, t);
      if (outcome instanceof NetworkAttacher.Attached a) {
        Task.Builder b = a.task().toBuilder();
        b.getStatusBuilder()
            .setState(TaskState.PENDING)
            .setMessage(PENDING_MESSAGE)
            .setErr("")
            .setTimestamp(ProtoTime.timestamp(now));
        List<Change> group = new ArrayList<>(a.allocations());
        group.add(new Change.Update(b.build()));
        moves.add(group.toArray(Change[]::new));
      } else if (outcome instanceof NetworkAttacher.Waiting w
          && !w.reason().equals(t.getStatus().getMessage())) {
        Task.Builder b = t.toBuilder();
        b.getStatusBuilder().setMessage(w.reason());
        waits.add(new Change.Update(b.build()));
      }
    }
    return new Decisions(moves.build(), waits.build());
  }
}
