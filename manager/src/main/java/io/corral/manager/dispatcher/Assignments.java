package io.corral.manager.dispatcher;

import io.corral.api.Assignment;
import io.corral.api.AssignmentChange;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.StoreEvent;
import java.util.Map;
import java.util.Optional;

/**
 * Which tasks a node is sent, and how a committed change to a task changes what the node has been
 * sent (service endpoints: see {@link Endpoints}). Pure: the stream that uses it keeps the map of
 * what it sent.
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
    return change(task.getId(), event.type() == StoreEvent.Type.DELETE ? null : task, nodeId, sent);
  }

  /**
   * The change to send for a task as it is now ({@code now} null once deleted), given the versions
   * already sent (updated in place); empty when the node has it as it is or never had it.
   */
  static Optional<AssignmentChange> change(
      String taskId, Task now, String nodeId, Map<String, Long> sent) {
    if (now != null && isAssignedTo(now, nodeId)) {
      Long version = sent.get(taskId);
      if (version != null && version == now.getMeta().getVersion()) {
        return Optional.empty();
      }
      sent.put(taskId, now.getMeta().getVersion());
      return Optional.of(update(now));
    }
    if (sent.remove(taskId) != null) {
      return Optional.of(
          AssignmentChange.newBuilder()
              .setAction(AssignmentChange.AssignmentAction.REMOVE)
              .setAssignment(Assignment.newBuilder().setTask(Task.newBuilder().setId(taskId)))
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

  static AssignmentChange update(ServiceEndpoints endpoints) {
    return AssignmentChange.newBuilder()
        .setAction(AssignmentChange.AssignmentAction.UPDATE)
        .setAssignment(Assignment.newBuilder().setServiceEndpoints(endpoints))
        .build();
  }
}
