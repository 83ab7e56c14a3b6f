package io.corral.manager.dispatcher;

import io.corral.api.Assignment;
import io.corral.api.AssignmentChange;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.StoreEvent;
import java.util.Map;
import java.util.Optional;

/**
 * Which tasks a node is sent, and how a committed change to a task changes what the node has been
 * sent. Pure: the stream that uses it keeps the map of what it sent.
 */
final class Assignments {

  private Assignments() {}

  /**
   * A node runs (or stops) the tasks the scheduler gave it; unassigned and pending ones are not its
   * business.
   */
  static boolean isAssignedTo(Task task, String nodeId) {
    return task.getNodeId().equals(nodeId)
        && task.getStatus().getStateValue() >= TaskState.ASSIGNED_VALUE;
  }

  /**
   * The change to send for one store event, given the versions already sent (updated in place);
   * empty when the event does not concern the node or changes nothing it was sent.
   */
  static Optional<AssignmentChange> change(
      StoreEvent event, String nodeId, Map<String, Long> sent) {
    Optional<Task> changed = event.as(ObjectKind.TASK);
    if (changed.isEmpty()) {
      return Optional.empty();
    }
    Task task = changed.get();
    boolean wanted = event.type() != StoreEvent.Type.DELETE && isAssignedTo(task, nodeId);
    if (wanted) {
      Long version = sent.get(task.getId());
      if (version != null && version == task.getMeta().getVersion()) {
        return Optional.empty();
      }
      sent.put(task.getId(), task.getMeta().getVersion());
      return Optional.of(update(task));
    }
    if (sent.remove(task.getId()) != null) {
      return Optional.of(
          AssignmentChange.newBuilder()
              .setAction(AssignmentChange.AssignmentAction.REMOVE)
              .setAssignment(Assignment.newBuilder().setTask(Task.newBuilder().setId(task.getId())))
              .build());
    }
    return Optional.empty();
  }

  static AssignmentChange update(Task task) {
    return AssignmentChange.newBuilder()
        .setAction(AssignmentChange.AssignmentAction.UPDATE)
        .setAssignment(Assignment.newBuilder().setTask(task))
        .build();
  }
}
