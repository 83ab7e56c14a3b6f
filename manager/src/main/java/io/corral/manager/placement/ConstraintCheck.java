package io.corral.manager.placement;

import io.corral.api.Node;
import java.util.List;

/**
 * Whether a node satisfies placement constraints ("node.labels.zone==a"). An interface so that
 * tests can plug in their own; {@link PlacementConstraints} is the one the scheduler and the
 * orchestrators share.
 */
@FunctionalInterface
public interface ConstraintCheck {

  /**
   * True when every constraint holds on the node; a constraint that cannot be parsed never holds.
   */
  boolean matches(List<String> constraints, Node node);
}
