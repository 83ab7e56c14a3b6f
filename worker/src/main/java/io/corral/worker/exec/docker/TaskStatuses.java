package io.corral.worker.exec.docker;

import io.corral.api.ContainerStatus;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.ProtoTime;
import java.time.Instant;

/** The task statuses the Docker executor reports, decided from what happened to the container (swarmkit's words). */
final class TaskStatuses {
  private TaskStatuses() {}

  /** A step on the way to RUNNING: ACCEPTED "accepted", PREPARING "preparing", READY "prepared", STARTING. */
  static TaskStatus progress(TaskState state, String message, Instant at) {
    return TaskStatus.newBuilder().setState(state).setMessage(message).setTimestamp(ProtoTime.timestamp(at)).build();
  }

  /** RUNNING with the container's id and main process. */
  static TaskStatus running(String containerId, int pid, Instant at) {
    return TaskStatus.newBuilder().setState(TaskState.RUNNING).setMessage("started")
        .setTimestamp(ProtoTime.timestamp(at))
        .setContainer(ContainerStatus.newBuilder().setContainerId(containerId).setPid(pid)).build();
  }

  /**
   * An error that ends the task: before STARTING the node could not run it (REJECTED, the scheduler may place it
   * elsewhere); from STARTING on it failed while being run (FAILED), as swarmkit decides.
   */
  static TaskStatus failure(TaskState reached, String err, String containerId, Instant at) {
    TaskState state = reached.getNumber() < TaskState.STARTING_VALUE ? TaskState.REJECTED : TaskState.FAILED;
    TaskStatus.Builder b = TaskStatus.newBuilder().setState(state).setMessage(state == TaskState.REJECTED
        ? "rejected" : "failed").setErr(err).setTimestamp(ProtoTime.timestamp(at));
    if (containerId != null) {
      b.setContainer(ContainerStatus.newBuilder().setContainerId(containerId));
    }
    return b.build();
  }

  /**
   * How a started container's exit ends the task: SHUTDOWN when it exited because it was asked to stop (whatever
   * the code, since SIGKILL after the grace period gives 137), else COMPLETE for 0 and FAILED for any other code.
   */
  static TaskStatus exited(String containerId, int exitCode, boolean stopRequested, Instant at) {
    TaskStatus.Builder b = TaskStatus.newBuilder().setTimestamp(ProtoTime.timestamp(at))
        .setContainer(ContainerStatus.newBuilder().setContainerId(containerId).setExitCode(exitCode));
    if (stopRequested) {
      b.setState(TaskState.SHUTDOWN).setMessage("shutdown");
    } else if (exitCode == 0) {
      b.setState(TaskState.COMPLETE).setMessage("finished");
    } else {
      b.setState(TaskState.FAILED).setMessage("failed").setErr("task: non-zero exit (" + exitCode + ")");
    }
    return b.build();
  }

  /** SHUTDOWN of a task stopped before its container ran. */
  static TaskStatus shutdownBeforeStart(Instant at) {
    return progress(TaskState.SHUTDOWN, "shutdown", at);
  }
}
