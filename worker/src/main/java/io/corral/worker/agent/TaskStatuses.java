package io.corral.worker.agent;

import io.corral.api.ContainerStatus;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.ProtoTime;
import java.time.Instant;

/**
 * The task statuses every backend's tasks report, with swarmkit's words: each state the agent moves
 * a task to has one message ("accepted", "preparing", "prepared", "starting", "started",
 * "finished", "shutdown"), and a failure keeps the message of the state it happened in, as
 * swarmkit's {@code exec.Do} does (REJECTED "preparing", FAILED "starting" or "started"), with the
 * reason in {@code err}.
 */
final class TaskStatuses {
  private TaskStatuses() {}

  /** The message of a state the agent moves a task to. */
  static String message(TaskState state) {
    return switch (state) {
      case ACCEPTED -> "accepted";
      case PREPARING -> "preparing";
      case READY -> "prepared";
      case STARTING -> "starting";
      case RUNNING -> "started";
      case COMPLETE -> "finished";
      case SHUTDOWN -> "shutdown";
      default -> state.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /**
   * A step on the way to RUNNING: ACCEPTED, PREPARING, READY, STARTING, or SHUTDOWN of a task that
   * never ran.
   */
  static TaskStatus progress(TaskState state, Instant at) {
    return TaskStatus.newBuilder()
        .setState(state)
        .setMessage(message(state))
        .setTimestamp(ProtoTime.timestamp(at))
        .build();
  }

  /** RUNNING with the container's id and main process. */
  static TaskStatus running(String containerId, int pid, Instant at) {
    return TaskStatus.newBuilder()
        .setState(TaskState.RUNNING)
        .setMessage(message(TaskState.RUNNING))
        .setTimestamp(ProtoTime.timestamp(at))
        .setContainer(ContainerStatus.newBuilder().setContainerId(containerId).setPid(pid))
        .build();
  }

  /**
   * STARTING of a started task that has a health check, with its container and main process, until
   * the first check passes.
   */
  static TaskStatus awaitingHealth(TaskBackend.Running r) {
    return running(r.containerId(), r.pid(), r.since()).toBuilder()
        .setState(TaskState.STARTING)
        .setMessage(message(TaskState.STARTING))
        .setHealth(TaskStatus.Health.STARTING)
        .build();
  }

  /** RUNNING of a started task whose health check passed ({@code health} HEALTHY). */
  static TaskStatus healthy(TaskBackend.Running r, Instant at) {
    return running(r.containerId(), r.pid(), at).toBuilder()
        .setHealth(TaskStatus.Health.HEALTHY)
        .build();
  }

  /**
   * FAILED of a task stopped because its health check failed, as swarmkit words it ("unhealthy
   * container"), with the message of the state it was in and how it exited.
   */
  static TaskStatus unhealthy(TaskState reached, TaskBackend.Exited e) {
    return exited(e.containerId(), e.pid(), e.exitCode(), false, e.at()).toBuilder()
        .setState(TaskState.FAILED)
        .setMessage(message(reached))
        .setErr(UNHEALTHY)
        .setHealth(TaskStatus.Health.UNHEALTHY)
        .build();
  }

  /** The error of a task stopped because its health check failed. */
  static final String UNHEALTHY = "unhealthy container";

  /**
   * An error that ends the task: before STARTING the node could not run it (REJECTED, the scheduler
   * may place it elsewhere); from STARTING on it failed while being run (FAILED), as swarmkit
   * decides.
   */
  static TaskStatus failure(TaskState reached, String err, String containerId, Instant at) {
    TaskState state =
        reached.getNumber() < TaskState.STARTING_VALUE ? TaskState.REJECTED : TaskState.FAILED;
    TaskStatus.Builder b =
        TaskStatus.newBuilder()
            .setState(state)
            .setMessage(message(reached))
            .setErr(err)
            .setTimestamp(ProtoTime.timestamp(at));
    if (containerId != null) {
      b.setContainer(ContainerStatus.newBuilder().setContainerId(containerId));
    }
    return b.build();
  }

  /**
   * As {@link #exited(String, int, int, boolean, Instant)} for a container whose process id is not
   * kept.
   */
  static TaskStatus exited(String containerId, int exitCode, boolean stopRequested, Instant at) {
    return exited(containerId, 0, exitCode, stopRequested, at);
  }

  /**
   * How a started task's exit ends it: SHUTDOWN when it exited because it was asked to stop
   * (whatever the code, since SIGKILL after the grace period gives 137), else COMPLETE for 0 and
   * FAILED with swarmkit's "task: non-zero exit (N)" for any other code.
   */
  static TaskStatus exited(
      String containerId, int pid, int exitCode, boolean stopRequested, Instant at) {
    TaskStatus.Builder b =
        TaskStatus.newBuilder()
            .setTimestamp(ProtoTime.timestamp(at))
            .setContainer(
                ContainerStatus.newBuilder()
                    .setContainerId(containerId)
                    .setPid(pid)
                    .setExitCode(exitCode));
    if (stopRequested) {
      b.setState(TaskState.SHUTDOWN).setMessage(message(TaskState.SHUTDOWN));
    } else if (exitCode == 0) {
      b.setState(TaskState.COMPLETE).setMessage(message(TaskState.COMPLETE));
    } else {
      b.setState(TaskState.FAILED)
          .setMessage(message(TaskState.RUNNING))
          .setErr("task: non-zero exit (" + exitCode + ")");
    }
    return b.build();
  }

  /**
   * The status of what a backend found of a task (an exit it reports, or what it found after a
   * restart).
   */
  static TaskStatus of(TaskBackend.Found found, boolean stopRequested) {
    if (found instanceof TaskBackend.Running r) {
      return running(r.containerId(), r.pid(), r.since());
    } else if (found instanceof TaskBackend.Exited e) {
      boolean stop = stopRequested || e.stopRequested();
      TaskStatus status = exited(e.containerId(), e.pid(), e.exitCode(), stop, e.at());
      return stop || e.err().isEmpty()
          ? status
          : status.toBuilder()
              .setState(TaskState.FAILED)
              .setMessage(message(TaskState.RUNNING))
              .setErr(e.err())
              .build();
    } else if (found instanceof TaskBackend.Ended e) {
      return e.status();
    }
    return failure(TaskState.PREPARING, ((TaskBackend.Lost) found).err(), null, Instant.now());
  }

  /** SHUTDOWN of a task stopped before it ran. */
  static TaskStatus shutdownBeforeStart(Instant at) {
    return progress(TaskState.SHUTDOWN, at);
  }
}
