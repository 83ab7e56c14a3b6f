package io.corral.manager.orchestrator.enforcer;

import io.corral.api.Node;
import io.corral.api.NodeSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.common.TerminalStates;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.controller.Planner;
import io.corral.manager.placement.NodeEligibility;
import io.corral.manager.task.TaskStates;
import java.time.Instant;

/**
 * The constraint enforcer's decisions: tasks on a drained node, or on an active node that no longer
 * satisfies their placement constraints (labels or role changed), are shut down (desired SHUTDOWN);
 * their orchestrator then refills the slot elsewhere. Paused nodes keep their tasks. Tasks that
 * already ended are left to the restart supervisor.
 */
public final class ConstraintEnforcer implements Planner {

  private final NodeEligibility eligibility;

  public ConstraintEnforcer(NodeEligibility eligibility) {
    this.eligibility = eligibility;
  }

  @Override
  public Plan plan(ClusterSnapshot snap, Instant now) {
    Plan.Builder out = new Plan.Builder();
    for (Task t : snap.tasks()) {
      if (!TaskStates.wantsToRun(t)
          || TerminalStates.isTerminal(t.getStatus().getState())
          || t.getNodeId().isEmpty()) {
        continue;
      }
      Node node = snap.nodes().get(t.getNodeId());
      if (node == null || !eligibility.mustEvict(node, t.getSpec())) {
        continue;
      }
      String why =
          node.getSpec().getAvailability() == NodeSpec.Availability.DRAIN
              ? "node is drained"
              : "node no longer satisfies the task's constraints";
      out.add(new Change.Update(TaskStates.stop(t, TaskState.SHUTDOWN, now, why)));
    }
    return out.build();
  }
}
