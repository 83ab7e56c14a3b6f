package io.corral.manager.logbroker;

import io.corral.api.LogSelector;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.ReadTx;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Which nodes a log selector concerns, from the store (pure functions of a view and a task). */
final class LogSelection {

  private LogSelection() {}

  /**
   * The nodes that run (or ran) a selected task. Without follow, tasks that never reached RUNNING
   * are left out (they have written nothing), as swarmkit does.
   *
   * @throws StatusRuntimeException INVALID_ARGUMENT for an empty selector, NOT_FOUND for an unknown
   *     id
   */
  static Set<String> nodes(ReadTx tx, LogSelector selector, boolean follow) {
    if (selector.getServiceIdsCount() == 0
        && selector.getNodeIdsCount() == 0
        && selector.getTaskIdsCount() == 0) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "service logs needs at least one service, node or task to " + "read logs from")
          .asRuntimeException();
    }
    Set<String> nodes = new LinkedHashSet<>();
    for (String id : selector.getServiceIdsList()) {
      if (tx.get(ObjectKind.SERVICE, id).isEmpty()) {
        throw notFound("service", id);
      }
      for (Task t : tx.tasksOfService(id)) {
        if (hasNode(t) && (follow || t.getStatus().getStateValue() >= TaskState.RUNNING_VALUE)) {
          nodes.add(t.getNodeId());
        }
      }
    }
    for (String id : selector.getNodeIdsList()) {
      if (tx.get(ObjectKind.NODE, id).isEmpty()) {
        throw notFound("node", id);
      }
      nodes.add(id);
    }
    for (String id : selector.getTaskIdsList()) {
      Task t = tx.get(ObjectKind.TASK, id).orElseThrow(() -> notFound("task", id));
      if (hasNode(t)) {
        nodes.add(t.getNodeId());
      }
    }
    return nodes;
  }

  /** Whether a task is selected (and placed on a node), for tasks that appear while following. */
  static boolean selects(LogSelector selector, Task t) {
    return hasNode(t)
        && (selector.getServiceIdsList().contains(t.getServiceId())
            || selector.getTaskIdsList().contains(t.getId())
            || selector.getNodeIdsList().contains(t.getNodeId()));
  }

  private static boolean hasNode(Task t) {
    return !t.getNodeId().isEmpty();
  }

  private static StatusRuntimeException notFound(String what, String id) {
    return Status.NOT_FOUND.withDescription("no such " + what + ": " + id).asRuntimeException();
  }
}
