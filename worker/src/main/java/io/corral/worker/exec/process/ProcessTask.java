package io.corral.worker.exec.process;

import io.corral.api.TaskStatus;
import io.corral.worker.agent.TaskRuntime.Listener;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * The runtime's in-memory record of one task: its directory and log, the started process once there is one, and
 * where it is in its life. Guarded by its own monitor; listeners are never called while holding it.
 */
final class ProcessTask {

  /** Where a task is: being prepared and started, running (watched by the monitor), or ended. */
  enum Phase { STARTING, RUNNING, ENDED }

  final String id;
  final TaskDir dir;
  volatile Listener listener;
  final TaskLog log;
  Phase phase = Phase.STARTING;
  LaunchRecord launch;
  Optional<Process> process = Optional.empty();
  boolean stopRequested;
  /** Removed by the agent: report nothing more and delete the directory once ended. */
  boolean removed;
  ScheduledFuture<?> killTimer;
  /** The last status reported (or adopted). */
  volatile TaskStatus status;

  ProcessTask(String id, TaskDir dir, Listener listener, TaskLog log) {
    this.id = id;
    this.dir = dir;
    this.log = log;
    this.listener = listener;
  }
}
