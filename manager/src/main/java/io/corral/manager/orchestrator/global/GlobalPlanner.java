package io.corral.manager.orchestrator.global;

import io.corral.api.Node;
import io.corral.api.NodeStatus;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.Version;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.controller.Planner;
import io.corral.manager.placement.NodeEligibility;
import io.corral.manager.task.JobIterations;
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
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The global orchestrator's decisions, for global services and global jobs: one task per node that
 * accepts new tasks (ready, active, constraints hold). A node that is down or removed loses its
 * tasks (desired SHUTDOWN, so that a returning node's agent stops them); when it is ready again its
 * slot is vacant and gets a new task. Drained nodes and failed constraints are the constraint
 * enforcer's, ended tasks the restart supervisor's. A global job runs once per node per iteration:
 * a completed node is done.
 */
public final class GlobalPlanner implements Planner {

  private final NodeEligibility eligibility;

  public GlobalPlanner(NodeEligibility eligibility) {
    this.eligibility = eligibility;
  }

  @Override
  public Plan plan(ClusterSnapshot snapshot, Instant now) {
    Plan.Builder out = new Plan.Builder();
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    for (Service s : snapshot.services().values()) {
      if (ServiceMode.of(s).perNode()) {
        planService(s, snapshot, now, clock, out);
      }
    }
    return out.build();
  }

  private void planService(
      Service service, ClusterSnapshot snap, Instant now, Clock clock, Plan.Builder out) {
    boolean job = ServiceMode.of(service).isJob();
    Version version = TaskFactory.specVersion(service);
    List<Task> tasks =
        job
            ? JobIterations.currentTasks(service, snap.tasksOf(service.getId()), now, out)
            : snap.tasksOf(service.getId());
    List<Task> perNode = new ArrayList<>();
    for (Task t : tasks) {
      if (t.getSlot() == 0) {
        perNode.add(t);
      } else if (TaskStates.wantsToRun(t)) {
        // A numbered task is left from a replicated mode: no node slot owns it.
        out.add(
            new Change.Update(TaskStates.stop(t, TaskState.REMOVE, now, "service mode changed")));
      }
    }
    Predicate<Task> alive = snap::alive;
    Map<SlotKey, Slot> slots = Slot.group(perNode);
    for (Slot slot : slots.values()) {
      for (Task dup : slot.duplicates(alive)) {
        out.add(
            new Change.Update(
                TaskStates.stop(dup, TaskState.SHUTDOWN, now, "duplicate task on its node")));
      }
      Node node = snap.nodes().get(slot.key().nodeId());
      if (node == null || node.getStatus().getState() == NodeStatus.State.DOWN) {
        String why = node == null ? "node removed" : "node down";
        for (Task t : slot.active()) {
          if (t.getStatus().getState() != TaskState.COMPLETE || !job) {
            out.add(new Change.Update(TaskStates.stop(t, TaskState.SHUTDOWN, now, why)));
          }
        }
      }
    }
    for (Node node : snap.nodes().values()) {
      if (!eligibility.acceptsNew(node, service.getSpec().getTask())) {
        continue;
      }
      Slot slot = slots.get(SlotKey.onNode(service.getId(), node.getId()));
      if (slot != null && (slot.occupied() || slot.gaveUp(version) || (job && slot.completed()))) {
        continue;
      }
      Task t = TaskFactory.newGlobalTask(service, node.getId(), clock);
      Task withDefaults = snap.cluster().map(c -> TaskFactory.withClusterDefaults(t, c)).orElse(t);
      Task task =
          slot == null
              ? withDefaults
              : slot.newest()
                  .filter(n -> n.getSpecVersion().getIndex() == version.getIndex())
                  .map(n -> RestartHistory.of(n).applyTo(withDefaults))
                  .orElse(withDefaults);
      out.add(new Change.Create(task));
    }
  }
}
