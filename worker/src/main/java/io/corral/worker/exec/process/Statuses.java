package io.corral.worker.exec.process;

import io.corral.api.ContainerStatus;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.ProtoTime;
import java.time.Instant;

/** Builds the task statuses the process runtime reports, with swarmkit's messages. */
final class Statuses {

  private Statuses() {}

  static TaskStatus of(TaskState state, String message, Instant time) {
    return TaskStatus.newBuilder().setState(state).setMessage(message).setTimestamp(ProtoTime.timestamp(time)).build();
  }

  static TaskStatus rejected(String err, Instant time) {
    return of(TaskState.REJECTED, "preparing", time).toBuilder().setErr(err).build();
  }

  static TaskStatus failedToStart(String err, Instant time) {
    return of(TaskState.FAILED, "starting", time).toBuilder().setErr(err).build();
  }

  static TaskStatus running(String taskId, int pid, Instant time) {
    return of(TaskState.RUNNING, "started", time).toBuilder()
        .setContainer(ContainerStatus.newBuilder().setContainerId(taskId).setPid(pid)).build();
  }

  /**
   * The final status of a process that ended with {@code exitCode}: SHUTDOWN when it was asked to stop, else
   * COMPLETE for 0 and FAILED with swarmkit's "task: non-zero exit (N)" for anything else.
   */
  static TaskStatus exited(String taskId, int pid, int exitCode, boolean stopRequested, Instant time) {
    TaskStatus.Builder b;
    if (stopRequested) {
      b = of(TaskState.SHUTDOWN, "shutdown", time).toBuilder();
    } else if (exitCode == 0) {
      b = of(TaskState.COMPLETE, "finished", time).toBuilder();
    } else {
      b = of(TaskState.FAILED, "started", time).toBuilder().setErr("task: non-zero exit (" + exitCode + ")");
    }
    return b.setContainer(ContainerStatus.newBuilder().setContainerId(taskId).setPid(pid).setExitCode(exitCode))
        .build();
  }
}
