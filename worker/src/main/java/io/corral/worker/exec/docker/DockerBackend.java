package io.corral.worker.exec.docker;

import io.corral.api.ContainerSpec;
import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskStatus;
import io.corral.common.NamedThreads;
import io.corral.common.ProtoTime;
import io.corral.worker.agent.TaskBackend;
import io.corral.worker.agent.TaskRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code docker} backend: runs each task as a container of the local Docker engine, labelled
 * with this node's id so that several Corral nodes can share one engine and each touches only its
 * own containers. Prepare inspects the image (never pulls it) and creates the container; start
 * starts it.
 */
public final class DockerBackend implements TaskBackend<DockerTask> {
  private static final Logger LOG = LoggerFactory.getLogger(DockerBackend.class);

  /** Docker's own default network; a task's container joins overlay networks by other means. */
  public static final String DEFAULT_NETWORK_MODE = "bridge";

  /**
   * How often, and how far apart, a lost wait for a container's exit is retried before the task is
   * FAILED.
   */
  static final int WAIT_RETRIES = 30;

  static final Duration WAIT_RETRY_DELAY = Duration.ofSeconds(2);

  /**
   * How often the health of a container with a health check is read; the engine runs the checks.
   */
  static final Duration HEALTH_POLL = Duration.ofMillis(500);

  private final DockerClient client;
  private final String nodeId;
  private final String networkMode;
  private final SandboxNamespaces sandboxes;

  /**
   * Handles the engine's answers to waits (they may need further engine calls), off the transport's
   * threads.
   */
  private final ExecutorService waits =
      Executors.newCachedThreadPool(NamedThreads.numbered("docker-wait"));

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.numbered("docker-wait-retry"));
  private final Set<DockerTask> waiting = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** A backend of node {@code nodeId} whose containers use docker's default bridge network. */
  public DockerBackend(DockerClient client, String nodeId) {
    this(client, nodeId, DEFAULT_NETWORK_MODE);
  }

  /**
   * A backend whose containers start in {@code networkMode} ("none" when the overlay driver joins
   * them later).
   */
  public DockerBackend(DockerClient client, String nodeId, String networkMode) {
    if (nodeId == null || nodeId.isEmpty()) {
      throw new IllegalArgumentException(
          "the Docker executor needs this node's id to label its containers");
    }
    this.client = client;
    this.nodeId = nodeId;
    this.networkMode = networkMode;
    this.sandboxes = new SandboxNamespaces(client, nodeId);
  }

  /**
   * The namespaces of this backend's networked tasks (their sandbox containers), for the network
   * driver: it must {@code provide} a task's namespace, plumb it and write its resolv.conf ({@link
   * SandboxNamespaces#resolvConf}) before {@link #prepare} creates the task's container in it.
   */
  public SandboxNamespaces namespaces() {
    return sandboxes;
  }

  @Override
  public List<Adopted<DockerTask>> adopt(Set<String> tracked) {
    List<Adopted<DockerTask>> adopted = new ArrayList<>();
    List<ContainerSummary> mine;
    try {
      mine = client.listContainers(Map.of(ContainerConfigs.LABEL_NODE_ID, nodeId));
    } catch (EngineException e) {
      // Nothing adopted now: should the agent start one of those tasks again, prepare finds the
      // task's own
      // container by its name and carries on with it rather than running a second one.
      LOG.warn(
          "cannot list this node's containers to adopt them (is dockerd running?): {}",
          e.getMessage());
      return adopted;
    }
    for (ContainerSummary c : mine) {
      String taskId = c.labels().getOrDefault(ContainerConfigs.LABEL_TASK_ID, "");
      if (taskId.isEmpty() || tracked.contains(taskId) || isSandbox(c.labels())) {
        continue;
      }
      try {
        client.inspectContainer(c.id()).flatMap(s -> adoptOne(taskId, s)).ifPresent(adopted::add);
      } catch (EngineException e) {
        LOG.warn("cannot adopt container {} of task {}: {}", c.name(), taskId, e.getMessage());
      }
    }
    return adopted;
  }

  @Override
  public Optional<Adopted<DockerTask>> find(String taskId) {
    try {
      for (ContainerSummary c :
          client.listContainers(
              Map.of(
                  ContainerConfigs.LABEL_NODE_ID,
                  nodeId,
                  ContainerConfigs.LABEL_TASK_ID,
                  taskId))) {
        if (isSandbox(c.labels())) {
          continue;
        }
        Optional<Adopted<DockerTask>> found =
            client.inspectContainer(c.id()).flatMap(s -> adoptOne(taskId, s));
        if (found.isPresent()) {
          return found;
        }
      }
    } catch (EngineException e) {
      LOG.warn("cannot look for leftover containers of task {}: {}", taskId, e.getMessage());
    }
    return Optional.empty();
  }

  /** A networked task's sandbox carries the task's labels, but is not the task's container. */
  private static boolean isSandbox(Map<String, String> labels) {
    return labels.containsKey(ContainerConfigs.LABEL_SANDBOX);
  }

  /**
   * The create body of a task's container: a networked task's joins its sandbox's namespace, others
   * get this backend's network mode.
   */
  private Map<String, Object> body(Task task) {
    return task.getNetworksCount() > 0
        ? ContainerConfigs.networkedBody(
            task,
            nodeId,
            SandboxNamespaces.containerName(task.getId()),
            SandboxNamespaces.resolvConf(task.getId()))
        : ContainerConfigs.createBody(task, nodeId, networkMode);
  }

  private Optional<Adopted<DockerTask>> adoptOne(String taskId, ContainerState s) {
    if ("removing".equals(s.status())) {
      return Optional.empty();
    }
    if (!s.running() && !s.exited()) {
      // Created but never started: the daemon stopped between create and start. Leaving it out lets
      // the agent
      // start the task afresh if it is still assigned; the leftover would only block the name.
      client.removeContainer(s.id(), true);
      return Optional.empty();
    }
    LOG.info(
        "found container {} of task {} ({})",
        s.name(),
        taskId,
        s.running() ? "running" : s.status());
    DockerTask t = new DockerTask(taskId, s.id(), s.tty());
    t.health = s.health();
    return Optional.of(new Adopted<>(taskId, t, found(s)));
  }

  /** A running or exited container, as found. */
  private static Found found(ContainerState s) {
    // An exited container's stop request, if any, died with the old daemon: its exit code decides.
    return s.running()
        ? new Running(s.id(), s.pid(), orNow(s.startedAt()))
        : new Exited(s.id(), 0, s.exitCode(), orNow(s.finishedAt()), false, "");
  }

  @Override
  public Prepared<DockerTask> prepare(Task task) throws TaskException {
    ContainerSpec spec = task.getSpec().getContainer();
    if (spec.getImage().isBlank()) {
      throw new TaskException("the task has no image: give the service an image to run");
    }
    DockerTask t = new DockerTask(task.getId(), null, spec.getTty());
    try {
      if (client.inspectImage(spec.getImage()).isEmpty()) {
        // Never pulled: images reach a node by `docker load`/`docker import`, there is no registry.
        throw new TaskException(
            "No such image: " + ImageReferences.withDefaultTag(spec.getImage()));
      }
      String name = ContainerConfigs.containerName(task);
      try {
        t.containerId = client.createContainer(name, body(task));
      } catch (EngineException e) {
        ContainerState own = ownLeftover(e, name, task.getId());
        t.containerId = own.id();
        t.tty = own.tty();
        if (own.running() || own.exited()) {
          return new Prepared<>(t, Optional.of(found(own)));
        }
      }
      return Prepared.fresh(t);
    } catch (EngineException e) {
      throw new TaskException(e.getMessage(), e);
    }
  }

  /**
   * The existing container behind a name conflict when it is this very task's on this node; else
   * the error.
   */
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

  @Override
  public Running start(DockerTask t) throws TaskException {
    try {
      client.startContainer(t.containerId);
    } catch (EngineException e) {
      // A start that timed out may still happen inside a busy engine: the failed task is replaced
      // elsewhere,
      // so its container must not be left to run unmanaged.
      discard(t);
      throw new TaskException(e.getMessage(), e);
    }
    // The pid is a detail of RUNNING: an inspect that fails must not fail a task that started.
    Optional<ContainerState> started = inspectQuietly(t);
    started.ifPresent(s -> t.health = s.health());
    int pid = started.map(ContainerState::pid).orElse(0);
    return new Running(t.containerId, pid, Instant.now());
  }

  private void discard(DockerTask t) {
    try {
      client.removeContainer(t.containerId, true);
    } catch (EngineException e) {
      LOG.warn(
          "could not remove the container of failed task {} ({}); it is removed with the task: {}",
          t.taskId,
          t.containerId,
          e.getMessage());
    }
  }

  @Override
  public CompletableFuture<Exited> waitFor(DockerTask t) {
    CompletableFuture<Exited> exit = new CompletableFuture<>();
    watch(t, exit);
    return exit;
  }

  /** Waits (without holding a thread) for the started container to exit. */
  private void watch(DockerTask t, CompletableFuture<Exited> exit) {
    if (closed) {
      exit.cancel(false);
      return;
    }
    waiting.add(t);
    t.engineWait = client.waitContainer(t.containerId);
    t.engineWait.whenComplete(
        (code, error) -> {
          try {
            waits.execute(() -> exited(t, exit, code, error));
          } catch (RejectedExecutionException closedMeanwhile) {
            exit.cancel(false);
          }
        });
  }

  private void exited(DockerTask t, CompletableFuture<Exited> exit, Integer code, Throwable error) {
    waiting.remove(t);
    if (closed) {
      exit.cancel(false);
      return;
    }
    if (error == null) {
      Instant at = inspectQuietly(t).map(ContainerState::finishedAt).orElse(null);
      exit.complete(new Exited(t.containerId, 0, code, orNow(at), false, ""));
      return;
    }
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof CancellationException) {
      exit.cancel(false);
      return;
    }
    // The wait was lost (engine restarting, connection dropped, container removed): ask the engine
    // what is left.
    Optional<ContainerState> now;
    try {
      now = client.inspectContainer(t.containerId);
    } catch (EngineException unreachable) {
      retryWatch(
          t,
          exit,
          "lost contact with the Docker daemon while task "
              + t.taskId
              + " ran: "
              + unreachable.getMessage());
      return;
    }
    if (now.isEmpty()) {
      exit.completeExceptionally(
          new TaskException(
              "container " + t.containerId + " was removed by something other than Corral"));
    } else if (now.get().running()) {
      retryWatch(t, exit, "cannot wait for container " + t.containerId + ": " + cause.getMessage());
    } else {
      exit.complete(
          new Exited(
              t.containerId, 0, now.get().exitCode(), orNow(now.get().finishedAt()), false, ""));
    }
  }

  private void retryWatch(DockerTask t, CompletableFuture<Exited> exit, String problem) {
    if (++t.waitFailures > WAIT_RETRIES) {
      exit.completeExceptionally(new TaskException(problem));
      return;
    }
    LOG.warn("{} (retry {} of {})", problem, t.waitFailures, WAIT_RETRIES);
    try {
      timer.schedule(() -> watch(t, exit), WAIT_RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closedMeanwhile) {
      exit.cancel(false);
    }
  }

  /**
   * The engine runs the container's health check (the spec's, or the image's HEALTHCHECK); this
   * follows its {@code State.Health.Status} by inspecting the running container every {@link
   * #HEALTH_POLL}.
   */
  @Override
  public boolean watchHealth(DockerTask t, Consumer<TaskStatus.Health> listener) {
    String seen = t.health;
    if (seen == null) {
      // The engine sets up a container's health before its start returns: null means no check,
      // unless the inspect right after the start failed.
      seen = inspectQuietly(t).map(ContainerState::health).orElse(null);
    }
    if (seen == null) {
      return false;
    }
    pollHealth(t, listener, TaskStatus.Health.STARTING);
    return true;
  }

  private void pollHealth(
      DockerTask t, Consumer<TaskStatus.Health> listener, TaskStatus.Health reported) {
    if (closed) {
      return;
    }
    try {
      timer.schedule(
          () -> {
            try {
              waits.execute(() -> readHealth(t, listener, reported));
            } catch (RejectedExecutionException closedMeanwhile) {
              // the next daemon follows the container's health again
            }
          },
          HEALTH_POLL.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closedMeanwhile) {
      // the next daemon follows the container's health again
    }
  }

  private void readHealth(
      DockerTask t, Consumer<TaskStatus.Health> listener, TaskStatus.Health reported) {
    if (closed) {
      return;
    }
    Optional<ContainerState> now;
    try {
      now = client.inspectContainer(t.containerId);
    } catch (EngineException e) {
      pollHealth(t, listener, reported); // the wait for the exit deals with a lost engine
      return;
    }
    if (now.isEmpty() || !now.get().running()) {
      return; // ended: the wait for the exit reports it
    }
    t.health = now.get().health();
    TaskStatus.Health health = healthOf(t.health);
    if (health != reported
        && (health == TaskStatus.Health.HEALTHY || health == TaskStatus.Health.UNHEALTHY)) {
      listener.accept(health);
      reported = health;
    }
    if (reported != TaskStatus.Health.UNHEALTHY) {
      pollHealth(t, listener, reported);
    }
  }

  /** Docker's {@code State.Health.Status} as a task's health (NONE for none or an unknown word). */
  static TaskStatus.Health healthOf(String dockerStatus) {
    if (dockerStatus == null) {
      return TaskStatus.Health.NONE;
    }
    return switch (dockerStatus) {
      case "starting" -> TaskStatus.Health.STARTING;
      case "healthy" -> TaskStatus.Health.HEALTHY;
      case "unhealthy" -> TaskStatus.Health.UNHEALTHY;
      default -> TaskStatus.Health.NONE;
    };
  }

  @Override
  public void stop(DockerTask t, Duration grace) throws TaskException {
    try {
      client.stopContainer(t.containerId, grace);
    } catch (EngineException e) {
      throw new TaskException(e.getMessage(), e);
    }
  }

  @Override
  public void remove(DockerTask t) throws TaskException {
    if (t.containerId == null) {
      return;
    }
    try {
      client.removeContainer(t.containerId, true);
    } catch (EngineException e) {
      throw new TaskException(e.getMessage(), e);
    }
  }

  @Override
  public AutoCloseable logs(
      DockerTask t, LogSubscriptionOptions options, TaskRuntime.LogSink sink) {
    LogSinkGuard guard = new LogSinkGuard(sink);
    String containerId = t.containerId;
    if (containerId == null) {
      guard.end();
      return () -> {};
    }
    Set<LogStream> wanted =
        options.getStreamsList().isEmpty()
            ? EnumSet.of(LogStream.LOG_STREAM_STDOUT, LogStream.LOG_STREAM_STDERR)
            : EnumSet.copyOf(options.getStreamsList());
    LogOptions engineOptions =
        new LogOptions(
            options.getFollow(),
            true,
            options.hasTail() ? (int) Math.min(Integer.MAX_VALUE, options.getTail()) : -1,
            options.hasSince() ? ProtoTime.instant(options.getSince()) : null);
    try {
      EngineStream stream =
          client.logs(
              containerId,
              t.tty,
              engineOptions,
              entry -> {
                LogStream s =
                    entry.stream() == LogEntry.Stream.STDERR
                        ? LogStream.LOG_STREAM_STDERR
                        : LogStream.LOG_STREAM_STDOUT;
                if (wanted.contains(s)) {
                  // The decoder drops each line's newline; the sink takes lines with theirs.
                  String data = entry.newline() ? entry.line() + "\n" : entry.line();
                  guard.line(orNow(entry.timestamp()), s, data.getBytes(StandardCharsets.UTF_8));
                }
              });
      stream
          .done()
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  LOG.debug("logs of task {} ended: {}", t.taskId, e.getMessage());
                }
                guard.end();
              });
      return stream;
    } catch (EngineException e) {
      LOG.debug("cannot read logs of task {}: {}", t.taskId, e.getMessage());
      guard.end();
      return () -> {};
    }
  }

  /**
   * Stops watching (containers keep running, for the next daemon to adopt); the client stays open.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (DockerTask t : waiting) {
      CompletableFuture<Integer> w = t.engineWait;
      if (w != null) {
        w.cancel(false);
      }
    }
    timer.shutdownNow();
    waits.shutdown();
  }

  private Optional<ContainerState> inspectQuietly(DockerTask t) {
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
