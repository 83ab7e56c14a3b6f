package io.corral.worker.exec.docker;

import io.corral.api.ContainerSpec;
import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.NamedThreads;
import io.corral.common.ProtoTime;
import io.corral.common.TerminalStates;
import io.corral.worker.agent.TaskRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code docker} executor: runs each task as a container of the local Docker engine, labelled with this node's
 * id so that several Corral nodes can share one engine and each touches only its own containers.
 *
 * <p>Every engine call runs on a worker pool, serialised per task (see {@link SerialExecutor}); the agent's calls
 * return at once and progress arrives through the task's listener: ACCEPTED, PREPARING (image inspected, never
 * pulled), READY (container created), STARTING, RUNNING, then COMPLETE, FAILED or SHUTDOWN when it exits.
 */
public final class DockerRuntime implements TaskRuntime, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
  /** Docker's own default network; a task's container joins overlay networks by other means. */
  public static final String DEFAULT_NETWORK_MODE = "bridge";
  /** How often, and how far apart, a lost wait for a container's exit is retried before the task is FAILED. */
  static final int WAIT_RETRIES = 30;
  static final Duration WAIT_RETRY_DELAY = Duration.ofSeconds(2);

  private final DockerClient client;
  private final String nodeId;
  private final String networkMode;
  private final ExecutorService pool = Executors.newCachedThreadPool(NamedThreads.numbered("docker-runtime"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.numbered("docker-runtime-retry"));
  /** Removals of containers no tracked task owns, one at a time. */
  private final SerialExecutor housekeeping = new SerialExecutor(pool);
  private final ConcurrentMap<String, TrackedContainer> tasks = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** A runtime of node {@code nodeId} whose containers use docker's default bridge network. */
  public DockerRuntime(DockerClient client, String nodeId) {
    this(client, nodeId, DEFAULT_NETWORK_MODE);
  }

  /** A runtime whose containers start in {@code networkMode} ("none" when the overlay driver joins them later). */
  public DockerRuntime(DockerClient client, String nodeId, String networkMode) {
    if (nodeId == null || nodeId.isEmpty()) {
      throw new IllegalArgumentException("the Docker runtime needs this node's id to label its containers");
    }
    this.client = client;
    this.nodeId = nodeId;
    this.networkMode = networkMode;
  }

  @Override
  public Map<String, TaskStatus> adopt(Listener listener) {
    Map<String, TaskStatus> adopted = new HashMap<>();
    List<ContainerSummary> mine;
    try {
      mine = client.listContainers(Map.of(ContainerConfigs.LABEL_NODE_ID, nodeId));
    } catch (EngineException e) {
      // Nothing adopted now: should the agent start one of those tasks again, start() finds the task's own
      // container by its name and carries on with it rather than running a second one.
      LOG.warn("cannot list this node's containers to adopt them (is dockerd running?): {}", e.getMessage());
      return adopted;
    }
    for (ContainerSummary c : mine) {
      String taskId = c.labels().getOrDefault(ContainerConfigs.LABEL_TASK_ID, "");
      if (taskId.isEmpty() || tasks.containsKey(taskId)) {
        continue;
      }
      try {
        client.inspectContainer(c.id()).flatMap(s -> adoptOne(taskId, s, listener))
            .ifPresent(status -> adopted.put(taskId, status));
      } catch (EngineException e) {
        LOG.warn("cannot adopt container {} of task {}: {}", c.name(), taskId, e.getMessage());
      }
    }
    return adopted;
  }

  private Optional<TaskStatus> adoptOne(String taskId, ContainerState s, Listener listener) {
    if ("removing".equals(s.status())) {
      return Optional.empty();
    }
    if (!s.running() && !s.exited()) {
      // Created but never started: the daemon stopped between create and start. Leaving it out lets the agent
      // start the task afresh if it is still assigned; the leftover would only block the name.
      client.removeContainer(s.id(), true);
      return Optional.empty();
    }
    TrackedContainer t = new TrackedContainer(taskId, new SerialExecutor(pool), listener, s.tty());
    t.containerId = s.id();
    t.started = true;
    // An exited container's stop request, if any, died with the old daemon: its exit code decides.
    TaskStatus status = s.running() ? TaskStatuses.running(s.id(), s.pid(), orNow(s.startedAt()))
        : TaskStatuses.exited(s.id(), s.exitCode(), false, orNow(s.finishedAt()));
    t.reached = status.getState();
    t.terminal = TerminalStates.isTerminal(status.getState());
    tasks.put(taskId, t);
    if (s.running()) {
      submit(t, () -> watch(t));
    }
    LOG.info("adopted container {} of task {} ({})", s.name(), taskId, status.getState());
    return Optional.of(status);
  }

  @Override
  public void start(Task task, Listener listener) {
    if (closed) {
      LOG.warn("not starting task {}: the Docker runtime is closed (the daemon is shutting down)", task.getId());
      return;
    }
    TrackedContainer t = new TrackedContainer(task.getId(), new SerialExecutor(pool), listener,
        task.getSpec().getContainer().getTty());
    if (tasks.putIfAbsent(task.getId(), t) != null) {
      LOG.warn("task {} is already known to the Docker runtime; not starting it again", task.getId());
      return;
    }
    submit(t, () -> run(task, t));
  }

  /** The whole way from ACCEPTED to RUNNING, checking between engine calls whether a stop came meanwhile. */
  private void run(Task task, TrackedContainer t) {
    emit(t, TaskStatuses.progress(TaskState.ACCEPTED, "accepted", Instant.now()));
    if (stoppedBeforeStart(t)) {
      return;
    }
    emit(t, TaskStatuses.progress(TaskState.PREPARING, "preparing", Instant.now()));
    ContainerSpec spec = task.getSpec().getContainer();
    if (spec.getImage().isBlank()) {
      fail(t, "the task has no image: give the service an image to run");
      return;
    }
    try {
      if (client.inspectImage(spec.getImage()).isEmpty()) {
        // Never pulled: images reach a node by `docker load`/`docker import`, there is no registry.
        fail(t, "No such image: " + ImageReferences.withDefaultTag(spec.getImage()));
        return;
      }
      if (stoppedBeforeStart(t)) {
        return;
      }
      String name = ContainerConfigs.containerName(task);
      String id;
      try {
        id = client.createContainer(name, ContainerConfigs.createBody(task, nodeId, networkMode));
      } catch (EngineException e) {
        ContainerState own = ownLeftover(e, name, task.getId());
        t.containerId = own.id();
        t.tty = own.tty();
        if (own.running() || own.exited()) {
          // It ran under an earlier daemon whose adopt missed it: report it as it is instead of running it twice.
          carryOn(t, own);
          return;
        }
        id = own.id();
      }
      t.containerId = id;
      emit(t, TaskStatuses.progress(TaskState.READY, "prepared", Instant.now()));
      if (stoppedBeforeStart(t)) {
        return;
      }
      emit(t, TaskStatuses.progress(TaskState.STARTING, "starting", Instant.now()));
      client.startContainer(id);
      t.started = true;
      // The pid is a detail of RUNNING: an inspect that fails must not fail a task that started.
      int pid = inspectQuietly(t).map(ContainerState::pid).orElse(0);
      emit(t, TaskStatuses.running(id, pid, Instant.now()));
      watch(t);
    } catch (EngineException e) {
      if (t.containerId != null && !t.started) {
        // A start that timed out may still happen inside a busy engine: the failed task is replaced elsewhere,
        // so its container must not be left to run unmanaged.
        discard(t);
      }
      fail(t, e.getMessage());
    }
  }

  private void discard(TrackedContainer t) {
    try {
      client.removeContainer(t.containerId, true);
    } catch (EngineException e) {
      LOG.warn("could not remove the container of failed task {} ({}); it is removed with the task: {}",
          t.taskId, t.containerId, e.getMessage());
    }
  }

  /** The existing container behind a name conflict when it is this very task's on this node; else the error. */
  private ContainerState ownLeftover(EngineException conflict, String name, String taskId) {
    if (!conflict.conflict()) {
      throw conflict;
    }
    ContainerState existing = client.inspectContainer(name).orElseThrow(() -> conflict);
    Map<String, String> labels = existing.labels();
    if (!nodeId.equals(labels.get(ContainerConfigs.LABEL_NODE_ID))
        || !taskId.equals(labels.get(ContainerConfigs.LABEL_TASK_ID))) {
      throw conflict;
    }
    return existing;
  }

  private void carryOn(TrackedContainer t, ContainerState own) {
    t.started = true;
    if (own.running()) {
      emit(t, TaskStatuses.running(own.id(), own.pid(), orNow(own.startedAt())));
      watch(t);
    } else {
      emit(t, TaskStatuses.exited(own.id(), own.exitCode(), t.stopRequested, orNow(own.finishedAt())));
    }
  }

  private boolean stoppedBeforeStart(TrackedContainer t) {
    if (t.stopRequested) {
      emit(t, TaskStatuses.shutdownBeforeStart(Instant.now()));
      return true;
    }
    return false;
  }

  /** Waits (without holding a thread) for the started container to exit; the outcome is handled in order. */
  private void watch(TrackedContainer t) {
    if (closed || t.terminal) {
      return;
    }
    t.exit = client.waitContainer(t.containerId);
    t.exit.whenComplete((code, error) -> submit(t, () -> exited(t, code, error)));
  }

  private void exited(TrackedContainer t, Integer code, Throwable error) {
    if (t.terminal || closed) {
      return;
    }
    if (error == null) {
      Instant at = inspectQuietly(t).map(ContainerState::finishedAt).orElse(null);
      emit(t, TaskStatuses.exited(t.containerId, code, t.stopRequested, orNow(at)));
      return;
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof CancellationException) {
      return;
    }
    // The wait was lost (engine restarting, connection dropped, container removed): ask the engine what is left.
    Optional<ContainerState> now;
    try {
      now = client.inspectContainer(t.containerId);
    } catch (EngineException unreachable) {
      retryWatch(t, "lost contact with the Docker daemon while task " + t.taskId + " ran: " + unreachable.getMessage());
      return;
    }
    if (now.isEmpty()) {
      emit(t, t.stopRequested ? TaskStatuses.progress(TaskState.SHUTDOWN, "shutdown", Instant.now())
          : TaskStatuses.failure(TaskState.RUNNING, "container " + t.containerId
              + " was removed by something other than Corral", t.containerId, Instant.now()));
    } else if (now.get().running()) {
      retryWatch(t, "cannot wait for container " + t.containerId + ": " + cause.getMessage());
    } else {
      emit(t, TaskStatuses.exited(t.containerId, now.get().exitCode(), t.stopRequested,
          orNow(now.get().finishedAt())));
    }
  }

  private void retryWatch(TrackedContainer t, String problem) {
    if (++t.waitFailures > WAIT_RETRIES) {
      emit(t, TaskStatuses.failure(TaskState.RUNNING, problem, t.containerId, Instant.now()));
      return;
    }
    LOG.warn("{} (retry {} of {})", problem, t.waitFailures, WAIT_RETRIES);
    timer.schedule(() -> submit(t, () -> watch(t)), WAIT_RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop(String taskId, Duration gracePeriod) {
    TrackedContainer t = tasks.get(taskId);
    if (t == null) {
      return;
    }
    t.stopRequested = true;
    submit(t, () -> {
      if (t.started && !t.terminal) {
        stopQuietly(t, gracePeriod);
      }
    });
  }

  @Override
  public void remove(String taskId, Duration gracePeriod) {
    TrackedContainer t = tasks.get(taskId);
    if (t == null) {
      if (!closed) {
        housekeeping.execute(() -> removeLeftovers(taskId));
      }
      return;
    }
    t.stopRequested = true;
    submit(t, () -> {
      try {
        if (t.started && !t.terminal) {
          stopQuietly(t, gracePeriod);
        }
        if (t.containerId != null) {
          client.removeContainer(t.containerId, true);
        }
      } catch (EngineException e) {
        LOG.warn("cannot remove the container of task {}: {}", taskId, e.getMessage());
      } finally {
        tasks.remove(taskId, t);
      }
    });
  }

  /** Containers of a task this runtime does not track (it never adopted them): this node's only. */
  private void removeLeftovers(String taskId) {
    try {
      for (ContainerSummary c : client.listContainers(
          Map.of(ContainerConfigs.LABEL_NODE_ID, nodeId, ContainerConfigs.LABEL_TASK_ID, taskId))) {
        client.removeContainer(c.id(), true);
      }
    } catch (EngineException e) {
      LOG.warn("cannot remove leftover containers of task {}: {}", taskId, e.getMessage());
    }
  }

  private void stopQuietly(TrackedContainer t, Duration grace) {
    try {
      client.stopContainer(t.containerId, grace);
    } catch (EngineException e) {
      // The wait reports what became of the container; a stop that failed leaves it running and RUNNING.
      LOG.warn("cannot stop container {} of task {}: {}", t.containerId, t.taskId, e.getMessage());
    }
  }

  @Override
  public AutoCloseable logs(String taskId, LogSubscriptionOptions options, LogSink sink) {
    LogSinkGuard guard = new LogSinkGuard(sink);
    TrackedContainer t = tasks.get(taskId);
    String containerId = t == null ? null : t.containerId;
    if (containerId == null) {
      guard.end();
      return () -> { };
    }
    Set<LogStream> wanted = options.getStreamsList().isEmpty()
        ? EnumSet.of(LogStream.LOG_STREAM_STDOUT, LogStream.LOG_STREAM_STDERR)
        : EnumSet.copyOf(options.getStreamsList());
    LogOptions engineOptions = new LogOptions(options.getFollow(), true,
        options.hasTail() ? (int) Math.min(Integer.MAX_VALUE, options.getTail()) : -1,
        options.hasSince() ? ProtoTime.instant(options.getSince()) : null);
    try {
      EngineStream stream = client.logs(containerId, t.tty, engineOptions, entry -> {
        LogStream s = entry.stream() == LogEntry.Stream.STDERR ? LogStream.LOG_STREAM_STDERR
            : LogStream.LOG_STREAM_STDOUT;
        if (wanted.contains(s)) {
          // The decoder drops each line's newline; the sink takes lines with theirs.
          String data = entry.newline() ? entry.line() + "\n" : entry.line();
          guard.line(orNow(entry.timestamp()), s, data.getBytes(StandardCharsets.UTF_8));
        }
      });
      stream.done().whenComplete((r, e) -> {
        if (e != null) {
          LOG.debug("logs of task {} ended: {}", taskId, e.getMessage());
        }
        guard.end();
      });
      return stream;
    } catch (EngineException e) {
      LOG.debug("cannot read logs of task {}: {}", taskId, e.getMessage());
      guard.end();
      return () -> { };
    }
  }

  /** Stops watching and reporting (containers keep running, for the next daemon to adopt); the client stays open. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (TrackedContainer t : tasks.values()) {
      t.jobs.execute(() -> {
        if (t.exit != null) {
          t.exit.cancel(false);
        }
      });
    }
    timer.shutdownNow();
    pool.shutdown();
  }

  /** Queues a job of the task; once the runtime is closed, jobs are dropped (the next daemon adopts the task). */
  private void submit(TrackedContainer t, Runnable job) {
    try {
      t.jobs.execute(job);
    } catch (RejectedExecutionException closedMeanwhile) {
      LOG.debug("dropped a job of task {}: the Docker runtime is closed", t.taskId);
    }
  }

  private void fail(TrackedContainer t, String err) {
    emit(t, TaskStatuses.failure(t.reached, err, t.containerId, Instant.now()));
  }

  /** Reports a status once the task is past it never again: one terminal state, then silence. */
  private void emit(TrackedContainer t, TaskStatus status) {
    if (t.terminal) {
      return;
    }
    t.reached = status.getState();
    t.terminal = TerminalStates.isTerminal(status.getState());
    if (status.getState() == TaskState.FAILED || status.getState() == TaskState.REJECTED) {
      LOG.info("task {} {}: {}", t.taskId, status.getState(), status.getErr());
    }
    try {
      t.listener.onStatus(t.taskId, status);
    } catch (RuntimeException e) {
      LOG.error("the listener of task {} failed on {}", t.taskId, status.getState(), e);
    }
  }

  private Optional<ContainerState> inspectQuietly(TrackedContainer t) {
    try {
      return client.inspectContainer(t.containerId);
    } catch (EngineException e) {
      return Optional.empty();
    }
  }

  private static Instant orNow(Instant at) {
    return at == null ? Instant.now() : at;
  }
}
