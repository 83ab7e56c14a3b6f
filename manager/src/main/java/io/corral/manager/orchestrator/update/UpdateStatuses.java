package io.corral.manager.orchestrator.update;

import io.corral.api.Service;
import io.corral.api.UpdateStatus;
import io.corral.api.UpdateStatus.UpdateState;
import io.corral.common.ProtoTime;
import java.time.Instant;

/** The update statuses the supervisor writes, with swarmkit's messages. Pure. */
public final class UpdateStatuses {

  private UpdateStatuses() {}

  static boolean isRollback(UpdateState state) {
    return state == UpdateState.ROLLBACK_STARTED
        || state == UpdateState.ROLLBACK_PAUSED
        || state == UpdateState.ROLLBACK_COMPLETED;
  }

  /** An update (or rollback) is under way and the supervisor drives it. */
  static boolean inProgress(UpdateState state) {
    return state == UpdateState.UPDATING
        || state == UpdateState.ROLLBACK_STARTED
        || state == UpdateState.CANARY;
  }

  static Service started(Service s, boolean rollback, Instant now) {
    return with(
        s,
        UpdateStatus.newBuilder()
            .setState(rollback ? UpdateState.ROLLBACK_STARTED : UpdateState.UPDATING)
            .setStartedAt(ProtoTime.timestamp(now))
            .setMessage(rollback ? "rollback in progress" : "update in progress")
            .build());
  }

  static Service completed(Service s, Instant now) {
    boolean rollback = isRollback(s.getUpdateStatus().getState());
    return with(
        s,
        s.getUpdateStatus().toBuilder()
            .setState(rollback ? UpdateState.ROLLBACK_COMPLETED : UpdateState.COMPLETED)
            .setCompletedAt(ProtoTime.timestamp(now))
            .setMessage(rollback ? "rollback completed" : "update completed")
            .build());
  }

  static Service paused(Service s, String failedTaskId, Instant now) {
    boolean rollback = isRollback(s.getUpdateStatus().getState());
    return with(
        s,
        s.getUpdateStatus().toBuilder()
            .setState(rollback ? UpdateState.ROLLBACK_PAUSED : UpdateState.PAUSED)
            .setCompletedAt(ProtoTime.timestamp(now))
            .setMessage(
                (rollback ? "rollback" : "update")
                    + " paused due to failure or early termination of task "
                    + failedTaskId)
            .build());
  }

  static String rolledBackMessage(String failedTaskId) {
    return "update rolled back due to failure or early termination of task " + failedTaskId;
  }

  static Service canary(Service s, int updated, int slots) {
    return with(
        s,
        s.getUpdateStatus().toBuilder()
            .setState(UpdateState.CANARY)
            .setMessage(
                "canary: " + updated + " of " + slots + " slots updated; promote or roll back")
            .build());
  }

  /** The canary stage passed: the update goes on and is not held again. */
  public static Service promoted(Service s) {
    return with(
        s,
        s.getUpdateStatus().toBuilder()
            .setState(UpdateState.UPDATING)
            .setCanaryPromoted(true)
            .setMessage("update in progress")
            .build());
  }

  private static Service with(Service s, UpdateStatus status) {
    return s.toBuilder().setUpdateStatus(status).build();
  }
}
