package io.corral.manager.scheduler;

import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.Resources;
import io.corral.api.Task;
import io.corral.manager.placement.ConstraintCheck;

/**
 * The scheduler's filters, in the order they run (swarmkit's pipeline): a node is counted against
 * the first filter that refuses it, and the counts explain why a task fits nowhere.
 */
enum NodeFilter {

  /** Only ready, active nodes get new tasks (down, paused and drained nodes do not). */
  READY {
    @Override
    boolean accepts(NodeLoad node, Task task, ConstraintCheck constraints) {
      return node.node().getStatus().getState() == NodeStatus.State.READY
          && node.node().getSpec().getAvailability() == NodeSpec.Availability.ACTIVE;
    }

    @Override
    String explain(int nodes) {
      return nodes == 1
          ? "1 node not available for new tasks"
          : nodes + " nodes not available for new tasks";
    }
  },

  CONSTRAINTS {
    @Override
    boolean accepts(NodeLoad node, Task task, ConstraintCheck constraints) {
      return constraints.matches(task.getSpec().getPlacement().getConstraintsList(), node.node());
    }

    @Override
    String explain(int nodes) {
      return "scheduling constraints not satisfied on " + count(nodes);
    }
  },

  MEMORY {
    @Override
    boolean accepts(NodeLoad node, Task task, ConstraintCheck constraints) {
      long want = reservation(task).getMemoryBytes();
      return want <= 0 || want <= node.freeMemory();
    }

    @Override
    String explain(int nodes) {
      return "insufficient memory on " + count(nodes);
    }
  },

  CPU {
    @Override
    boolean accepts(NodeLoad node, Task task, ConstraintCheck constraints) {
      long want = reservation(task).getNanoCpus();
      return want <= 0 || want <= node.freeNanoCpus();
    }

    @Override
    String explain(int nodes) {
      return "insufficient CPU on " + count(nodes);
    }
  },

  MAX_REPLICAS {
    @Override
    boolean accepts(NodeLoad node, Task task, ConstraintCheck constraints) {
      long max = task.getSpec().getPlacement().getMaxReplicas();
      return max == 0 || node.tasksOf(task.getServiceId()) < max;
    }

    @Override
    String explain(int nodes) {
      return "max replicas per node limit exceeded on " + count(nodes);
    }
  };

  abstract boolean accepts(NodeLoad node, Task task, ConstraintCheck constraints);

  /** Why {@code nodes} nodes were refused by this filter, as `service ps` shows it. */
  abstract String explain(int nodes);

  static Resources reservation(Task task) {
    return task.getSpec().getResources().getReservations();
  }

  private static String count(int nodes) {
    return nodes == 1 ? "1 node" : nodes + " nodes";
  }
}
