package io.corral.manager.orchestrator.replicated;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.Version;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.controller.Planner;
import io.corral.manager.task.RestartHistory;
import io.corral.manager.task.ServiceMode;
import io.corral.manager.task.Slot;
import io.corral.manager.task.SlotKey;
import io.corral.manager.task.TaskFactory;
import io.corral.manager.task.TaskStates;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The replicated orchestrator's decisions: keeps exactly {@code replicas} slots per replicated
 * service. Scaling up fills the lowest free slot numbers; scaling down removes slots (desired
 * REMOVE) starting with empty ones, then those on the nodes with most tasks of the service,
 * not-running before running, highest slot first (swarmkit's order). A vacant slot (its task was
 * shut down by the system, not given up on) gets a new task at once. Ended tasks are the restart
 * supervisor's, not this planner's.
 */
public final class ReplicatedPlanner implements Planner {

  @Override
  public Plan plan(ClusterSnapshot snapshot, Instant now) {
    Plan.Builder out = new Plan.Builder();
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    for (Service s : snapshot.services().values()) {
      if (ServiceMode.of(s) == ServiceMode.REPLICATED) {
        planService(s, snapshot, now, clock, out);
      }
    }
    return out.build();
  }

  private static void planService(
      Service service, ClusterSnapshot snap, Instant now, Clock clock, Plan.Builder out) {
    Version version = TaskFactory.specVersion(service);
    long replicas = ServiceMode.replicas(service);
    List<Task> numbered = new ArrayList<>();
    for (Task t : snap.tasksOf(service.getId())) {
      if (t.getSlot() > 0) {
        numbered.add(t);
      } else if (TaskStates.wantsToRun(t)) {
        // A task without a slot number is left from a global mode: no replicated slot owns it.
        out.add(
            new Change.Update(TaskStates.stop(t, TaskState.REMOVE, now, "service mode changed")));
      }
    }
    Predicate<Task> alive = snap::alive;
    Map<SlotKey, Slot> slots = Slot.group(numbered);
    List<Slot> counted = new ArrayList<>();
    for (Slot slot : slots.values()) {
      for (Task dup : slot.duplicates(alive)) {
        out.add(
            new Change.Update(
                TaskStates.stop(dup, TaskState.SHUTDOWN, now, "duplicate task in its slot")));
      }
      if (!slot.removed()) {
        counted.add(slot);
      }
    }
    List<Slot> keep = counted;
    if (counted.size() > replicas) {
      List<Slot> ranked = rankForKeeping(counted, alive);
      keep = ranked.subList(0, (int) replicas);
      for (Slot gone : ranked.subList((int) replicas, ranked.size())) {
        removeSlot(gone, now, out);
      }
    }
    Set<Long> used = new HashSet<>();
    for (Slot slot : keep) {
      used.add(slot.key().slot());
      if (slot.vacant(version)) {
        out.add(new Change.Create(refill(service, slot, version, clock, snap)));
      }
    }
    long missing = replicas - keep.size();
    for (long n = 1; missing > 0; n++) {
      if (!used.contains(n)) {
        Slot old = slots.get(SlotKey.numbered(service.getId(), n));
        out.add(
            new Change.Create(
                old == null
                    ? fresh(service, n, clock, snap)
                    : refill(service, old, version, clock, snap)));
        missing--;
      }
    }
  }

  /**
   * Slots in the order they are kept: occupied before empty, then by how many tasks of the service
   * their node already has before them (so the nodes with most copies lose theirs first), running
   * before not running, lowest slot first.
   */
  static List<Slot> rankForKeeping(List<Slot> slots, Predicate<Task> alive) {
    record Ranked(Slot slot, boolean occupied, int indexOnNode, boolean running) {}
    List<Slot> occupied = slots.stream().filter(Slot::occupied).toList();
    Map<SlotKey, Boolean> running = new HashMap<>();
    Map<SlotKey, String> node = new HashMap<>();
    for (Slot s : occupied) {
      Task primary = s.active().stream().filter(alive).findFirst().orElse(s.active().get(0));
      running.put(
          s.key(), alive.test(primary) && primary.getStatus().getState() == TaskState.RUNNING);
      node.put(s.key(), primary.getNodeId());
    }
    List<Slot> countingOrder = new ArrayList<>(occupied);
    countingOrder.sort(
        Comparator.<Slot, Boolean>comparing(s -> !running.get(s.key()))
            .thenComparingLong(s -> s.key().slot()));
    Map<String, Integer> perNode = new HashMap<>();
    Map<SlotKey, Integer> index = new HashMap<>();
    for (Slot s : countingOrder) {
      index.put(s.key(), perNode.merge(node.get(s.key()), 1, Integer::sum) - 1);
    }
    List<Ranked> ranked = new ArrayList<>();
    for (Slot s : slots) {
      boolean occ = s.occupied();
      ranked.add(
          new Ranked(
              s, occ, occ ? index.get(s.key()) : Integer.MAX_VALUE, occ && running.get(s.key())));
    }
    ranked.sort(
        Comparator.<Ranked, Boolean>comparing(r -> !r.occupied())
            .thenComparingInt(Ranked::indexOnNode)
            .thenComparing(r -> !r.running())
            .thenComparingLong(r -> r.slot().key().slot()));
    return ranked.stream().map(Ranked::slot).toList();
  }

  /**
   * Scaled away: running tasks go, and the newest task records that the slot is gone (desired
   * REMOVE).
   */
  private static void removeSlot(Slot slot, Instant now, Plan.Builder out) {
    Task newest = slot.newest().orElseThrow();
    for (Task t : slot.tasks()) {
      if (t.getDesiredStateValue() < TaskState.REMOVE_VALUE
          && (TaskStates.wantsToRun(t) || t == newest)) {
        out.add(new Change.Update(TaskStates.stop(t, TaskState.REMOVE, now, "scaled down")));
      }
    }
  }

  private static Task fresh(Service service, long slot, Clock clock, ClusterSnapshot snap) {
    Task t = TaskFactory.newTask(service, slot, clock);
    return snap.cluster().map(c -> TaskFactory.withClusterDefaults(t, c)).orElse(t);
  }

  /**
   * A new task for a slot that had tasks: the slot's restart count carries on under the same spec.
   */
  private static Task refill(
      Service service, Slot slot, Version version, Clock clock, ClusterSnapshot snap) {
    Task t = fresh(service, slot.key().slot(), clock, snap);
    return slot.newest()
        .filter(n -> n.getSpecVersion().getIndex() == version.getIndex())
        .map(n -> RestartHistory.of(n).applyTo(t))
        .orElse(t);
  }
}
