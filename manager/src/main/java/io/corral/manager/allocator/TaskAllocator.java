package io.corral.manager.allocator;

import com.google.protobuf.Message;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * Tasks with allocations committed in one group: bounds one Raft entry; the rest wait for the
   * next pass, which the commit's own events trigger.
   */
  static final int MAX_ALLOCATED_PER_PASS = 100;

  private final Store store;
  private final Clock clock;
  private final NetworkAttacher networks;

  public TaskAllocator(Store store, Clock clock, NetworkAttacher networks) {
    this.store = store;
    this.clock = clock;
    this.networks = networks;
  }

  /**
   * Store changes that may give the allocator work: tasks, and the networks and services tasks wait
   * for.
   */
  public static boolean relevant(StoreEvent event) {
    return (event.is(ObjectKind.TASK) && event.type() != StoreEvent.Type.DELETE)
        || event.is(ObjectKind.NETWORK)
        || event.is(ObjectKind.SERVICE);
  }

  /** A task the allocator must handle: still NEW, and still wanted. */
  static boolean needsAllocation(Task t) {
    return t.getStatus().getState() == TaskState.NEW
        && t.getDesiredStateValue() < TaskState.SHUTDOWN_VALUE;
  }

  /**
   * What one pass decided: tasks made PENDING that allocated nothing (a group each), those that
   * allocated (one group with their allocations, {@code allocatedTasks} of them), and reasons of
   * tasks still waiting.
   */
  private record Decisions(Plan moves, Plan allocated, int allocatedTasks, Plan waits) {}

  @Override
  public Plan plan(ClusterSnapshot snapshot, Instant now) {
    Decisions d = decide(snapshot, now);
    return new Plan.Builder().addAll(d.moves()).addAll(d.allocated()).addAll(d.waits()).build();
  }

  /**
   * Allocates every task that needs it.
   *
   * @return how many tasks became PENDING
   */
  public int allocatePending() {
    Decisions d = decide(store.view(ClusterSnapshot::read), clock.instant());
    int moved = d.moves().isEmpty() ? 0 : ChangeWriter.apply(store, d.moves()).written();
    if (!d.allocated().isEmpty() && ChangeWriter.apply(store, d.allocated()).written() == 1) {
      moved += d.allocatedTasks();
    }
    if (!d.waits().isEmpty()) {
      ChangeWriter.apply(store, d.waits());
    }
    return moved;
  }

  private Decisions decide(ClusterSnapshot snapshot, Instant now) {
    Plan.Builder moves = new Plan.Builder();
    Plan.Builder waits = new Plan.Builder();
    NetworkAttacher.Pass pass = networks.begin(snapshot);
    // Tasks that allocated something commit together with the allocations (the last one of each
    // object includes the earlier ones of this pass): each alone would conflict with the next on
    // the network it updates.
    List<Change> allocatedTasks = new ArrayList<>();
    Map<String, Change> allocations = new LinkedHashMap<>();
    for (Task t : snapshot.tasks()) {
      if (!needsAllocation(t)) {
        continue;
      }
      if (allocatedTasks.size() >= MAX_ALLOCATED_PER_PASS) {
        break;
      }
      NetworkAttacher.Outcome outcome = pass.attach(t);
      if (outcome instanceof NetworkAttacher.Attached a) {
        Task.Builder b = a.task().toBuilder();
        b.getStatusBuilder()
            .setState(TaskState.PENDING)
            .setMessage(PENDING_MESSAGE)
            .setErr("")
            .setTimestamp(ProtoTime.timestamp(now));
        Change update = new Change.Update(b.build());
        if (a.allocations().isEmpty()) {
          moves.add(update);
        } else {
          allocatedTasks.add(update);
          a.allocations().forEach(c -> allocations.put(key(c), c));
        }
      } else if (outcome instanceof NetworkAttacher.Waiting w
          && !w.reason().equals(t.getStatus().getMessage())) {
        Task.Builder b = t.toBuilder();
        b.getStatusBuilder().setMessage(w.reason());
        waits.add(new Change.Update(b.build()));
      }
    }
    Plan.Builder allocated = new Plan.Builder();
    if (!allocatedTasks.isEmpty()) {
      List<Change> group = new ArrayList<>(allocations.values());
      group.addAll(allocatedTasks);
      allocated.add(group.toArray(Change[]::new));
    }
    return new Decisions(moves.build(), allocated.build(), allocatedTasks.size(), waits.build());
  }

  private static String key(Change c) {
    if (c instanceof Change.Require r) {
      return r.kind() + "/" + r.id();
    }
    Message o =
        c instanceof Change.Create x
            ? x.object()
            : c instanceof Change.Update x ? x.object() : ((Change.Delete) c).object();
    ObjectKind<Message> kind = ObjectKind.of(o);
    return kind + "/" + kind.id(o);
  }
}
