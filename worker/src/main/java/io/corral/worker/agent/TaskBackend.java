package io.corral.worker.agent;

import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The steps one executor backend (docker containers, host processes) implements for {@link
 * TaskLifecycle}, which walks every task through them and alone decides and reports the task's
 * states (compare swarmkit's {@code agent/exec.Controller}). The lifecycle calls the steps of one
 * task one at a time, on a worker thread; they may block on the backend (an engine call, a file
 * write) but not for a whole task's life: {@link #waitFor} returns a future instead.
 *
 * @param <H> what the backend keeps of one task between steps (its container, its process record)
 */
public interface TaskBackend<H extends TaskBackend.Handle> extends AutoCloseable {

  /** The backend's own record of one task. */
  interface Handle {
    /**
     * The task's container (or process group) id for the task's status, or null while there is
     * none.
     */
    String containerId();
  }

  /**
   * A step failed for a reason the task's error gives (REJECTED before it starts, FAILED from then
   * on).
   */
  final class TaskException extends Exception {
    public TaskException(String err) {
      super(err);
    }

    public TaskException(String err, Throwable cause) {
      super(err, cause);
    }
  }

  /**
   * What the backend found of a task: how far it got, in the backend's terms; the lifecycle turns
   * it into a status.
   */
  sealed interface Found permits Running, Exited, Ended, Lost {}

  /** The task's process runs as {@code pid} in {@code containerId}, since {@code since}. */
  record Running(String containerId, int pid, Instant since) implements Found {}

  /**
   * The task's process exited with {@code exitCode} at {@code at}; {@code stopRequested} when the
   * backend itself knows it was asked to stop (e.g. from before a restart); a non-empty {@code err}
   * when the end is a failure whatever the code (the code was lost).
   */
  record Exited(
      String containerId, int pid, int exitCode, Instant at, boolean stopRequested, String err)
      implements Found {}

  /** The task ended under an earlier daemon, which recorded this final status ({@link #ended}). */
  record Ended(TaskStatus status) implements Found {}

  /**
   * The task never got to run and cannot any more (e.g. the daemon died while preparing it):
   * REJECTED.
   */
  record Lost(String err) implements Found {}

  /** A task the backend knows from before, with what became of it. */
  record Adopted<H>(String taskId, H handle, Found state) {}

  /**
   * The outcome of {@link #prepare}: a fresh handle, or the task's own earlier run that must not
   * run twice.
   */
  record Prepared<H>(H handle, Optional<Found> earlier) {
    public static <H> Prepared<H> fresh(H handle) {
      return new Prepared<>(handle, Optional.empty());
    }
  }

  /**
   * The tasks this backend ran before a daemon restart (still running or ended meanwhile), except
   * {@code tracked}, which the lifecycle knows already. Leftovers that never started may be cleared
   * instead of returned.
   */
  List<Adopted<H>> adopt(Set<String> tracked);

  /**
   * What is left of one task the lifecycle does not track (for removing it), if anything. May
   * block.
   */
  Optional<Adopted<H>> find(String taskId);

  /**
   * Resolves the image and creates what the task runs in (a container, a state directory); nothing
   * runs yet.
   */
  Prepared<H> prepare(Task task) throws TaskException;

  /** Starts the prepared task's process. */
  Running start(H handle) throws TaskException;

  /**
   * Completes when the started (or adopted running) task's process exits; completes exceptionally
   * with a {@link TaskException} when the backend lost it, and is cancelled when the backend
   * closes.
   */
  CompletableFuture<Exited> waitFor(H handle);

  /**
   * Follows the health checks of the started (or adopted running) task, if it has any (its own or
   * its image's): returns false at once when it has none. Otherwise calls {@code listener}, from
   * any thread, each time the task's health changes (to HEALTHY, or to UNHEALTHY, after which it is
   * not called again); following ends by itself once the task ends, is asked to stop, or the
   * backend closes.
   */
  default boolean watchHealth(H handle, Consumer<TaskStatus.Health> listener) {
    return false;
  }

  /** Asks the running task to stop (its stop signal), killing it once {@code grace} has passed. */
  void stop(H handle, Duration grace) throws TaskException;

  /**
   * Records the task's final status where a later daemon's {@link #adopt} finds it, if the backend
   * needs that.
   */
  default void ended(H handle, TaskStatus status) {}

  /** Deletes what is left of an ended (or never started) task. */
  void remove(H handle) throws TaskException;

  /**
   * The task's output, as {@link TaskRuntime#logs}, for a task this backend has (or had) a handle
   * of.
   */
  AutoCloseable logs(H handle, LogSubscriptionOptions options, TaskRuntime.LogSink sink);

  /** Stops watching; what runs keeps running for the next daemon to adopt. */
  @Override
  void close();
}
