package io.corral.manager.dispatcher;

import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.api.UpdateTaskStatusRequest.TaskStatusUpdate;
import io.corral.common.ProtoTime;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.WriteTx;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Applies the task status reports of one node in one store batch: only for tasks assigned to that
 * node, and only forward in the task state machine (a late or repeated report never moves a task
 * back). A repeat of the current state is applied only when it says something new (a running task's
 * health, for one).
 */
final class TaskStatusUpdates {

  private static final int ATTEMPTS = 5;

  private TaskStatusUpdates() {}

  /** The task with the reported status, or empty when the report must be ignored. */
  static Optional<Task> apply(
      Task task, String reportingNode, TaskStatus reported, String managerId, Instant now) {
    if (!task.getNodeId().equals(reportingNode)) {
      return Optional.empty();
    }
    int current = task.getStatus().getStateValue();
    int next = reported.getStateValue();
    if (next < current || next < TaskState.ASSIGNED_VALUE) {
      return Optional.empty();
    }
    if (next == current
        && reported.getMessage().equals(task.getStatus().getMessage())
        && reported.getErr().equals(task.getStatus().getErr())
        && reported.getContainer().equals(task.getStatus().getContainer())
        && reported.getHealth() == task.getStatus().getHealth()) {
      return Optional.empty();
    }
    TaskStatus status =
        reported.toBuilder().setAppliedBy(managerId).setAppliedAt(ProtoTime.timestamp(now)).build();
    Task.Builder b = task.toBuilder().setStatus(status);
    if (next == TaskState.RUNNING_VALUE && !task.hasRunningSince()) {
      b.setRunningSince(ProtoTime.timestamp(now));
    }
    return Optional.of(b.build());
  }

  /**
   * Writes the reports as one batch, re-reading on a version conflict; unknown tasks are skipped.
   */
  static int write(
      Store store, String nodeId, List<TaskStatusUpdate> updates, String managerId, Instant now) {
    StoreException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int[] applied = new int[1];
      try {
        store.update(tx -> applied[0] = applyAll(tx, nodeId, updates, managerId, now));
        return applied[0];
      } catch (StoreException e) {
        if (e.code() != StoreException.Code.VERSION_CONFLICT) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  private static int applyAll(
      WriteTx tx, String nodeId, List<TaskStatusUpdate> updates, String managerId, Instant now) {
    int applied = 0;
    for (TaskStatusUpdate u : updates) {
      Optional<Task> next =
          tx.get(ObjectKind.TASK, u.getTaskId())
              .flatMap(t -> apply(t, nodeId, u.getStatus(), managerId, now));
      if (next.isPresent()) {
        tx.update(next.get());
        applied++;
      }
    }
    return applied;
  }
}
