package io.corral.worker.exec.docker;

import io.corral.api.TaskState;
import io.corral.worker.agent.TaskRuntime;
import java.util.concurrent.CompletableFuture;

/**
 * What the Docker runtime knows about one task's container. Fields other than the volatile ones are read and
 * written only by the task's serial jobs.
 */
final class TrackedContainer {
  final String taskId;
  final SerialExecutor jobs;
  final TaskRuntime.Listener listener;

  /** Set by stop/remove from any thread; the start job checks it between steps and the exit decides SHUTDOWN. */
  volatile boolean stopRequested;
  /** Set once the container exists; read by logs from other threads. */
  volatile String containerId;
  /** Whether the container writes through a TTY (one raw stream instead of multiplexed stdout/stderr). */
  volatile boolean tty;

  /** The last state reported, deciding REJECTED or FAILED for an error. */
  TaskState reached = TaskState.ASSIGNED;
  boolean started;
  boolean terminal;
  /** Engine failures in a row while waiting for the exit. */
  int waitFailures;
  CompletableFuture<Integer> exit;

  TrackedContainer(String taskId, SerialExecutor jobs, TaskRuntime.Listener listener, boolean tty) {
    this.taskId = taskId;
    this.jobs = jobs;
    this.listener = listener;
    this.tty = tty;
  }
}
