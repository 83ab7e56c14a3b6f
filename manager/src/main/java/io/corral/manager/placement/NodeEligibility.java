package io.corral.manager.placement;

import io.corral.api.Node;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.TaskSpec;

/** Which nodes may get new tasks of a template, and which must give up the tasks they have. */
public record NodeEligibility(ConstraintCheck constraints) {

  /** Ready, active (not paused or drained) and satisfying the template's constraints. */
  public boolean acceptsNew(Node node, TaskSpec spec) {
    return node.getStatus().getState() == NodeStatus.State.READY
        && node.getSpec().getAvailability() == NodeSpec.Availability.ACTIVE
        && constraintsHold(node, spec);
  }

  /**
   * Running tasks must leave the node: it is drained, or (when active) their constraints no longer
   * hold. A paused node keeps its tasks whatever changed (Docker's rule).
   */
  public boolean mustEvict(Node node, TaskSpec spec) {
    return switch (node.getSpec().getAvailability()) {
      case DRAIN -> true;
      case PAUSE -> false;
      default -> !constraintsHold(node, spec);
    };
  }

  public boolean constraintsHold(Node node, TaskSpec spec) {
    return constraints.matches(spec.getPlacement().getConstraintsList(), node);
  }
}
