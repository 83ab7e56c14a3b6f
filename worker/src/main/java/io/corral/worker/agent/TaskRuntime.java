package io.corral.worker.agent;

import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the agent needs from an executor: start a task, stop it, forget it, and hear about every
 * state change. {@link TaskLifecycle} implements it over any {@link TaskBackend}; the agent never
 * knows whether a task is a container or a process.
 */
public interface TaskRuntime {

  /**
   * Receives every status change of a task the runtime runs (ACCEPTED … RUNNING, then a terminal
   * state).
   */
  interface Listener {
    void onStatus(String taskId, TaskStatus status);
  }

  /**
   * Tasks already known to the runtime from before a daemon restart (still running or ended
   * meanwhile), with their current status; the agent adopts them instead of starting them again.
   */
  Map<String, TaskStatus> adopt(Listener listener);

  /**
   * Prepares and starts the task; progress and the outcome arrive through the listener. Never
   * blocks long.
   */
  void start(Task task, Listener listener);

  /**
   * Stops the task (graceful signal, then kill after the grace period); SHUTDOWN arrives through
   * the listener.
   */
  void stop(String taskId, Duration gracePeriod);

  /**
   * Stops the task first if it still runs (as {@link #stop}), then removes what is left of it
   * (container, process state); never blocks long.
   */
  void remove(String taskId, Duration gracePeriod);

  /** Receives a task's output lines for {@link #logs}. Called from one thread at a time. */
  interface LogSink {
    /**
     * One line (with its trailing newline, if it had one) written at {@code time} on {@code
     * stream}.
     */
    void line(Instant time, LogStream stream, byte[] data);

    /**
     * No more lines will come (past lines sent and not following, task ended, or handle closed).
     * Called once.
     */
    void end();
  }

  /**
   * Sends the task's past output (all of it, or only the last {@code options.tail} lines, and only
   * lines at or after {@code options.since}), then, when {@code options.follow}, new lines until
   * the task ends or the returned handle is closed. An unknown task ends the sink at once. Never
   * blocks long: reading happens on another thread.
   */
  AutoCloseable logs(String taskId, LogSubscriptionOptions options, LogSink sink);
}
