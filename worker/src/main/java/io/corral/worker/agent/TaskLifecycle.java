package io.corral.worker.agent;

import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.NamedThreads;
import io.corral.common.TerminalStates;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one task lifecycle of the worker, whatever runs the tasks (compare swarmkit's {@code
 * agent/exec/controller.go}): walks each task through ACCEPTED, PREPARING (the shared {@link
 * TaskPreparer} steps, then the backend's prepare), READY, STARTING, RUNNING and its end (COMPLETE,
 * FAILED or SHUTDOWN; REJECTED when it could not be prepared), stops it with its grace period and
 * removes it, over the steps of a {@link TaskBackend}. It alone decides and reports every status,
 * so both backends say the same thing in the same words.
 *
 * <p>A task with a health check (swarmkit's semantics) stays STARTING, with health STARTING, after
 * its process starts, until the backend reports its first passing check: then it is RUNNING and
 * HEALTHY. Once the backend reports it UNHEALTHY it is stopped (its grace period) and ends FAILED
 * with "unhealthy container"; the managers' restart policy takes it from there.
 *
 * <p>Each task's steps run one at a time in order on a shared pool (see {@link SerialExecutor});
 * the agent's calls return at once and progress arrives through the task's listener. A stop that
 * arrives while the task is being prepared is seen between steps and ends it SHUTDOWN before it
 * runs.
 */
public final class TaskLifecycle<H extends TaskBackend.Handle>
    implements TaskRuntime, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TaskLifecycle.class);

  private final TaskBackend<H> backend;
  private final List<TaskPreparer> preparers;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(NamedThreads.numbered("corral-task"));

  /** Removals of tasks nobody tracks (left from before a restart), one at a time. */
  private final SerialExecutor housekeeping = new SerialExecutor(pool);

  private final ConcurrentMap<String, Controller<H>> tasks = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** A lifecycle over {@code backend} with no shared preparation steps. */
  public TaskLifecycle(TaskBackend<H> backend) {
    this(backend, List.of());
  }

  /**
   * A lifecycle over {@code backend} that runs {@code preparers}, in order, while preparing every
   * task.
   */
  public TaskLifecycle(TaskBackend<H> backend, List<TaskPreparer> preparers) {
    this.backend = backend;
    this.preparers = List.copyOf(preparers);
  }

  /**
   * One task's controller. Fields other than the volatile ones are read and written only by the
   * task's jobs (and by adopt before the first job).
   */
  private static final class Controller<H> {
    final String taskId;
    final SerialExecutor jobs;
    volatile TaskRuntime.Listener listener;

    /**
     * Set by stop/remove from any thread; the start checks it between steps and the exit decides
     * SHUTDOWN.
     */
    volatile boolean stopRequested;

    /** Set once the backend prepared the task; read by logs from other threads. */
    volatile H handle;

    /** The last status reported (or adopted). */
    volatile TaskStatus last;

    TaskState reached = TaskState.ASSIGNED;
    boolean started;

    /** The started (or adopted running) process, for the status its health changes give. */
    TaskBackend.Running running;

    /** Its health as last reported; NONE without a health check. */
    TaskStatus.Health health = TaskStatus.Health.NONE;

    /** Stopped because it became unhealthy: its end is FAILED whatever the exit code. */
    boolean unhealthy;

    /** The grace period of a stop the lifecycle itself decides (an unhealthy task). */
    Duration stopGrace = StopGrace.DEFAULT;

    boolean terminal;
    boolean stopSent;
    boolean removeWhenEnded;
    CompletableFuture<TaskBackend.Exited> exit;

    Controller(String taskId, SerialExecutor jobs, TaskRuntime.Listener listener) {
      this.taskId = taskId;
      this.jobs = jobs;
      this.listener = listener;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // TaskRuntime
  // ---------------------------------------------------------------------------------------------------------

  @Override
  public Map<String, TaskStatus> adopt(Listener listener) {
    Map<String, TaskStatus> found = new LinkedHashMap<>();
    for (Controller<H> c : tasks.values()) {
      c.listener = listener;
      if (c.last != null) {
        found.put(c.taskId, c.last);
      }
    }
    List<TaskBackend.Adopted<H>> adopted;
    try {
      adopted = backend.adopt(Set.copyOf(tasks.keySet()));
    } catch (RuntimeException e) {
      // Nothing adopted now: should the agent start one of those tasks again, the backend's prepare
      // finds what
      // is left of it and the lifecycle carries on with that rather than running it twice.
      LOG.warn("cannot look for the tasks of this node from before the restart: {}", e.toString());
      return found;
    }
    for (TaskBackend.Adopted<H> a : adopted) {
      Controller<H> c = track(a, listener);
      if (c != null) {
        found.put(a.taskId(), c.last);
        LOG.info("adopted task {} ({})", a.taskId(), c.last.getState());
      }
    }
    return found;
  }

  @Override
  public void start(Task task, Listener listener) {
    if (closed) {
      LOG.warn(
          "not starting task {}: the executor is closed (the daemon is shutting down)",
          task.getId());
      return;
    }
    Controller<H> c = new Controller<>(task.getId(), new SerialExecutor(pool), listener);
    if (tasks.putIfAbsent(task.getId(), c) != null) {
      LOG.debug("task {} is already known; not starting it again", task.getId());
      return;
    }
    submit(c, () -> run(task, c));
  }

  @Override
  public void stop(String taskId, Duration gracePeriod) {
    Controller<H> c = tasks.get(taskId);
    if (c == null) {
      return;
    }
    c.stopRequested = true;
    submit(c, () -> stopOnce(c, gracePeriod));
  }

  @Override
  public void remove(String taskId, Duration gracePeriod) {
    Controller<H> c = tasks.get(taskId);
    if (c == null) {
      if (!closed) {
        housekeeping.execute(() -> removeUntracked(taskId, gracePeriod));
      }
      return;
    }
    c.stopRequested = true;
    submit(c, () -> removeOnceEnded(c, gracePeriod));
  }

  @Override
  public AutoCloseable logs(String taskId, LogSubscriptionOptions options, LogSink sink) {
    Controller<H> c = tasks.get(taskId);
    H handle = c == null ? null : c.handle;
    if (handle == null) {
      sink.end();
      return () -> {};
    }
    return backend.logs(handle, options, sink);
  }

  /** Stops watching and reporting; what runs keeps running for the next daemon to adopt. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    backend.close();
    pool.shutdown();
  }

  // ---------------------------------------------------------------------------------------------------------
  // The steps
  // ---------------------------------------------------------------------------------------------------------

  /**
   * The whole way from ACCEPTED to RUNNING, checking between steps whether a stop came meanwhile.
   */
  private void run(Task task, Controller<H> c) {
    c.stopGrace = StopGrace.of(task);
    emit(c, TaskStatuses.progress(TaskState.ACCEPTED, Instant.now()));
    if (stoppedBeforeStart(c)) {
      return;
    }
    emit(c, TaskStatuses.progress(TaskState.PREPARING, Instant.now()));
    try {
      for (TaskPreparer p : preparers) {
        p.prepare(task);
      }
      TaskBackend.Prepared<H> prepared = backend.prepare(task);
      c.handle = prepared.handle();
      if (prepared.earlier().isPresent()) {
        // It ran under an earlier daemon whose adopt missed it: report it as it is instead of
        // running it twice.
        carryOn(c, prepared.earlier().get());
        return;
      }
      if (stoppedBeforeStart(c)) {
        return;
      }
      emit(c, TaskStatuses.progress(TaskState.READY, Instant.now()));
      if (stoppedBeforeStart(c)) {
        return;
      }
      emit(c, TaskStatuses.progress(TaskState.STARTING, Instant.now()));
      TaskBackend.Running running = backend.start(c.handle);
      c.started = true;
      c.running = running;
      if (backend.watchHealth(c.handle, health -> submit(c, () -> healthChanged(c, health)))) {
        c.health = TaskStatus.Health.STARTING;
        emit(c, TaskStatuses.awaitingHealth(running));
      } else {
        emit(c, TaskStatuses.of(running, false));
      }
      watch(c);
    } catch (TaskBackend.TaskException e) {
      fail(c, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("starting task {} failed unexpectedly", c.taskId, e);
      fail(c, "the executor failed to start the task: " + e);
    }
  }

  private void carryOn(Controller<H> c, TaskBackend.Found earlier) {
    c.started = earlier instanceof TaskBackend.Running || earlier instanceof TaskBackend.Exited;
    emit(c, TaskStatuses.of(earlier, c.stopRequested));
    if (earlier instanceof TaskBackend.Running r) {
      c.running = r;
      watchHealthAdopted(c);
      watch(c);
    }
  }

  /**
   * Follows the health of a task found running from before a restart: it stays RUNNING (it may have
   * passed its checks then), its health is reported once checked again, and UNHEALTHY still stops
   * it.
   */
  private void watchHealthAdopted(Controller<H> c) {
    if (closed || c.terminal) {
      return;
    }
    try {
      backend.watchHealth(c.handle, health -> submit(c, () -> healthChanged(c, health)));
    } catch (RuntimeException e) {
      LOG.warn("cannot follow the health of task {}: {}", c.taskId, e.toString());
    }
  }

  /**
   * The backend's news of the task's health: the first pass makes it RUNNING (and HEALTHY), and
   * UNHEALTHY stops it to end it FAILED. Ignored once the task ends or the agent asked it to stop.
   */
  private void healthChanged(Controller<H> c, TaskStatus.Health health) {
    if (closed || c.terminal || c.unhealthy || c.stopRequested || c.running == null) {
      return;
    }
    if (health == TaskStatus.Health.HEALTHY && c.health != TaskStatus.Health.HEALTHY) {
      c.health = health;
      emit(c, TaskStatuses.healthy(c.running, Instant.now()));
    } else if (health == TaskStatus.Health.UNHEALTHY) {
      c.health = health;
      c.unhealthy = true;
      LOG.info("task {} is unhealthy; stopping it", c.taskId);
      stopOnce(c, c.stopGrace);
    }
  }

  private boolean stoppedBeforeStart(Controller<H> c) {
    if (c.stopRequested) {
      emit(c, TaskStatuses.shutdownBeforeStart(Instant.now()));
      return true;
    }
    return false;
  }

  /**
   * Waits (without holding a thread) for the started task to exit; the outcome is handled in order.
   */
  private void watch(Controller<H> c) {
    if (closed || c.terminal) {
      return;
    }
    c.exit = backend.waitFor(c.handle);
    c.exit.whenComplete((exit, error) -> submit(c, () -> exited(c, exit, error)));
  }

  private void exited(Controller<H> c, TaskBackend.Exited exit, Throwable error) {
    if (c.terminal || closed) {
      return;
    }
    if (error == null) {
      emit(
          c,
          c.unhealthy
              ? TaskStatuses.unhealthy(c.reached, exit)
              : TaskStatuses.of(exit, c.stopRequested));
    } else {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      if (cause instanceof CancellationException) {
        return;
      }
      String err =
          c.unhealthy
              ? TaskStatuses.UNHEALTHY
              : cause instanceof TaskBackend.TaskException ? cause.getMessage() : cause.toString();
      emit(
          c,
          c.stopRequested && !c.unhealthy
              ? TaskStatuses.progress(TaskState.SHUTDOWN, Instant.now())
              : TaskStatuses.failure(TaskState.RUNNING, err, containerId(c), Instant.now()));
    }
    if (c.removeWhenEnded) {
      removeNow(c);
    }
  }

  /**
   * Sends the task its stop signal once; a task not started yet is ended by the start seeing the
   * request.
   */
  private void stopOnce(Controller<H> c, Duration grace) {
    if (!c.started || c.terminal || c.stopSent) {
      return;
    }
    c.stopSent = true;
    try {
      backend.stop(c.handle, grace);
    } catch (TaskBackend.TaskException | RuntimeException e) {
      // The wait reports what became of the task; a stop that failed leaves it running and RUNNING.
      LOG.warn("cannot stop task {}: {}", c.taskId, e.getMessage());
    }
  }

  private void removeOnceEnded(Controller<H> c, Duration grace) {
    if (c.started && !c.terminal) {
      c.removeWhenEnded = true;
      stopOnce(c, grace);
    } else {
      removeNow(c);
    }
  }

  private void removeNow(Controller<H> c) {
    try {
      if (c.handle != null) {
        backend.remove(c.handle);
      }
    } catch (TaskBackend.TaskException | RuntimeException e) {
      LOG.warn("cannot remove what is left of task {}: {}", c.taskId, e.getMessage());
    } finally {
      tasks.remove(c.taskId, c);
      for (int i = preparers.size() - 1; i >= 0; i--) {
        try {
          preparers.get(i).release(c.taskId);
        } catch (RuntimeException e) {
          LOG.warn("releasing task {} failed: {}", c.taskId, e.toString());
        }
      }
    }
  }

  /**
   * A task the agent removes that nobody tracks: whatever the backend still has of it goes (stopped
   * first).
   */
  private void removeUntracked(String taskId, Duration grace) {
    Optional<TaskBackend.Adopted<H>> found;
    try {
      found = backend.find(taskId);
    } catch (RuntimeException e) {
      LOG.warn("cannot look for what is left of task {}: {}", taskId, e.toString());
      return;
    }
    if (found.isEmpty()) {
      return;
    }
    Controller<H> c = track(found.get(), null);
    if (c == null) {
      remove(taskId, grace); // tracked meanwhile
      return;
    }
    c.stopRequested = true;
    submit(c, () -> removeOnceEnded(c, grace));
  }

  /**
   * Tracks what the backend found of a task (watching it if it runs); null when the task is tracked
   * already.
   */
  private Controller<H> track(TaskBackend.Adopted<H> a, Listener listener) {
    Controller<H> c = new Controller<>(a.taskId(), new SerialExecutor(pool), listener);
    c.handle = a.handle();
    TaskStatus status = TaskStatuses.of(a.state(), false);
    c.started = a.state() instanceof TaskBackend.Running || a.state() instanceof TaskBackend.Exited;
    c.reached = status.getState();
    c.terminal = TerminalStates.isTerminal(status.getState());
    c.last = status;
    if (tasks.putIfAbsent(a.taskId(), c) != null) {
      return null;
    }
    if (c.terminal && !(a.state() instanceof TaskBackend.Ended)) {
      recordEnd(c, status);
    }
    if (!c.terminal) {
      if (a.state() instanceof TaskBackend.Running r) {
        c.running = r;
      }
      submit(
          c,
          () -> {
            if (c.running != null) {
              watchHealthAdopted(c);
            }
            watch(c);
          });
    }
    return c;
  }

  // ---------------------------------------------------------------------------------------------------------

  private void fail(Controller<H> c, String err) {
    emit(c, TaskStatuses.failure(c.reached, err, containerId(c), Instant.now()));
  }

  /** Reports a status once the task is past it never again: one terminal state, then silence. */
  private void emit(Controller<H> c, TaskStatus status) {
    if (c.terminal) {
      return;
    }
    if (status.getHealth() == TaskStatus.Health.NONE && c.health != TaskStatus.Health.NONE) {
      // A checked task's every later status says how healthy it was last.
      status = status.toBuilder().setHealth(c.health).build();
    }
    c.reached = status.getState();
    c.terminal = TerminalStates.isTerminal(status.getState());
    c.last = status;
    if (c.terminal) {
      recordEnd(c, status);
    }
    if (status.getState() == TaskState.FAILED || status.getState() == TaskState.REJECTED) {
      LOG.info("task {} {}: {}", c.taskId, status.getState(), status.getErr());
    }
    Listener listener = c.listener;
    if (listener == null) {
      return;
    }
    try {
      listener.onStatus(c.taskId, status);
    } catch (RuntimeException e) {
      LOG.error("the listener of task {} failed on {}", c.taskId, status.getState(), e);
    }
  }

  private void recordEnd(Controller<H> c, TaskStatus status) {
    if (c.handle == null) {
      return;
    }
    try {
      backend.ended(c.handle, status);
    } catch (RuntimeException e) {
      LOG.warn("cannot record the end of task {}: {}", c.taskId, e.toString());
    }
  }

  private String containerId(Controller<H> c) {
    H h = c.handle;
    return h == null ? null : h.containerId();
  }

  /**
   * Queues a job of the task; once the lifecycle is closed, jobs are dropped (the next daemon
   * adopts the task).
   */
  private void submit(Controller<H> c, Runnable job) {
    try {
      c.jobs.execute(job);
    } catch (RejectedExecutionException closedMeanwhile) {
      LOG.debug("dropped a job of task {}: the executor is closed", c.taskId);
    }
  }
}
