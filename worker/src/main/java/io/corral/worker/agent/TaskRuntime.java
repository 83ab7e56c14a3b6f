package io.corral.worker.agent;

import io.corral.api.Task;
import io.corral.api.TaskStatus;
import java.time.Duration;
import java.util.Map;

/**
 * What the agent needs from an executor: start a task, stop it, forget it, and hear about every state change.
 * An executor adapter implements it; the agent never knows whether a task is a container or a process.
 */
public interface TaskRuntime {

  /** Receives every status change of a task the runtime runs (ACCEPTED … RUNNING, then a terminal state). */
  interface Listener {
    void onStatus(String taskId, TaskStatus status);
  }

  /**
   * Tasks already known to the runtime from before a daemon restart (still running or ended meanwhile), with
   * their current status; the agent adopts them instead of starting them again.
   */
  Map<String, TaskStatus> adopt(Listener listener);

  /** Prepares and starts the task; progress and the outcome arrive through the listener. Never blocks long. */
  void start(Task task, Listener listener);

  /** Stops the task (graceful signal, then kill after the grace period); SHUTDOWN arrives through the listener. */
  void stop(String taskId, Duration gracePeriod);

  /**
   * Stops the task first if it still runs (as {@link #stop}), then removes what is left of it (container,
   * process state); never blocks long.
   */
  void remove(String taskId, Duration gracePeriod);
}
