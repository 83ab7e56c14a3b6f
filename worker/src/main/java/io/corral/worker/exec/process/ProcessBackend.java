package io.corral.worker.exec.process;

import io.corral.api.ContainerSpec;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskStatus;
import io.corral.common.NamedThreads;
import io.corral.worker.agent.TaskBackend;
import io.corral.worker.agent.TaskRuntime;
import io.corral.worker.network.NamespaceProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code process} backend: runs each task's entrypoint and command as a host process in its own
 * session, from an image directory under the node's image root (docs/process-images.md). Task state
 * lives under {@code <stateDir>/<taskId>/}, so processes outlive the daemon and a new instance on
 * the same state directory adopts them (and learns how those that ended meanwhile exited). {@link
 * #close} stops watching but leaves the processes running, as a daemon restart does.
 */
public final class ProcessBackend implements TaskBackend<ProcessTask> {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessBackend.class);
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final long POLL_MILLIS = 100;

  /** Exit status of a process killed by SIGKILL, as a shell (and docker) reports it. */
  private static final int KILLED_EXIT_CODE = 137;

  private final ImageStore images;
  private final Path stateDir;
  private final UserDatabase users;
  private final ProcessLauncher launcher;
  private final Clock clock;
  private final String bootId = ProcStat.bootId();
  private final Map<String, ProcessTask> tasks = new ConcurrentHashMap<>();
  private final Map<LogSubscription, Boolean> subscriptions = new ConcurrentHashMap<>();
  private final ScheduledExecutorService monitor;
  private final ExecutorService readers;

  /** Runs health checks, each blocking until it ends or times out. */
  private final ExecutorService healthChecks;

  /**
   * A backend taking images from {@code imageRoot} ({@code <dataDir>/images}) and keeping task
   * state in {@code stateDir} ({@code <dataDir>/tasks}, created when missing).
   */
  public ProcessBackend(Path imageRoot, Path stateDir) {
    this(imageRoot, stateDir, UserDatabase.system(), ProcessLauncher.system(), Clock.systemUTC());
  }

  ProcessBackend(
      Path imageRoot, Path stateDir, UserDatabase users, ProcessLauncher launcher, Clock clock) {
    this.images = new ImageStore(imageRoot);
    this.stateDir = stateDir;
    this.users = users;
    this.launcher = launcher;
    this.clock = clock;
    try {
      Files.createDirectories(stateDir);
      Files.createDirectories(imageRoot); // so that whoever adds images finds where they go
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the process executor's state directory "
              + stateDir
              + ": "
              + e.getMessage()
              + "; check the daemon's --data-dir and its permissions",
          e);
    }
    monitor =
        Executors.newSingleThreadScheduledExecutor(NamedThreads.numbered("corral-process-monitor"));
    readers = Executors.newCachedThreadPool(NamedThreads.numbered("corral-process-logs"));
    healthChecks =
        Executors.newCachedThreadPool(NamedThreads.numbered("corral-process-healthcheck"));
    monitor.scheduleWithFixedDelay(this::sweep, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * The pid of a task's process while it still runs (a restarted daemon finds the task's network
   * namespace through it), else empty.
   */
  public static OptionalInt runningPid(Path stateDir, String taskId) {
    if (!TASK_ID.matcher(taskId).matches()) {
      return OptionalInt.empty();
    }
    try {
      Optional<LaunchRecord> launch = new TaskDir(stateDir.resolve(taskId)).readLaunch();
      if (launch.isPresent()
          && launch.get().alive()
          && Files.exists(Path.of("/proc", Integer.toString(launch.get().childPid())))) {
        return OptionalInt.of(launch.get().childPid());
      }
    } catch (IOException | IllegalArgumentException e) {
      LOG.debug("no launch record for task {}: {}", taskId, e.toString());
    }
    return OptionalInt.empty();
  }

  // ---------------------------------------------------------------------------------------------------------
  // TaskBackend
  // ---------------------------------------------------------------------------------------------------------

  @Override
  public List<Adopted<ProcessTask>> adopt(Set<String> tracked) {
    List<Adopted<ProcessTask>> found = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(stateDir, Files::isDirectory)) {
      for (Path dir : dirs) {
        String id = dir.getFileName().toString();
        if (TASK_ID.matcher(id).matches() && !tracked.contains(id)) {
          found.add(recoverNew(id));
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list the task state directory {}: {}", stateDir, e.toString());
    }
    return found;
  }

  @Override
  public Optional<Adopted<ProcessTask>> find(String taskId) {
    if (!TASK_ID.matcher(taskId).matches() || !Files.isDirectory(stateDir.resolve(taskId))) {
      return Optional.empty();
    }
    return Optional.of(recoverNew(taskId));
  }

  /** Finds out what became of a task from before a restart, and watches it if it runs. */
  private Adopted<ProcessTask> recoverNew(String id) {
    ProcessTask task = newTask(id);
    Found state;
    synchronized (task) {
      state = recover(task);
    }
    tasks.put(id, task);
    return new Adopted<>(id, task, state);
  }

  @Override
  public Prepared<ProcessTask> prepare(Task spec) throws TaskException {
    String id = spec.getId();
    if (!TASK_ID.matcher(id).matches()) {
      throw new TaskException("invalid task id \"" + id + "\"");
    }
    ProcessTask task = newTask(id);
    if (task.dir.exists()) {
      // Started before a restart that nobody adopted: never run it twice; report what became of it
      // instead.
      Found earlier;
      synchronized (task) {
        earlier = recover(task);
      }
      tasks.put(id, task);
      return new Prepared<>(task, Optional.of(earlier));
    }
    tasks.put(id, task);
    ContainerSpec container = spec.getSpec().getContainer();
    ImageManifest image;
    try {
      task.dir.create();
      image = images.resolve(container.getImage());
      task.plan = LaunchPlan.of(container, image);
    } catch (ImageStore.NoSuchImageException e) {
      throw new TaskException(e.getMessage());
    } catch (IOException | IllegalArgumentException e) {
      throw new TaskException(describe(container.getImage(), e));
    }
    try {
      task.health = healthCheck(container, image).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new TaskException(
          (container.getHealthcheck().getTestCount() > 0
                  ? ""
                  : "image " + container.getImage() + ": ")
              + e.getMessage());
    }
    try {
      if (spec.getNetworksCount() > 0) {
        // The network preparer made it; the command and its health checks enter it.
        task.netns = Optional.of(NamespaceProvider.nameOf(id));
        task.dir.writeNetns(task.netns.get());
      }
      task.dir.writeSpec(container);
    } catch (IOException e) {
      throw new TaskException("cannot write the state of task " + id + ": " + e.getMessage());
    }
    return Prepared.fresh(task);
  }

  @Override
  public Running start(ProcessTask task) throws TaskException {
    Launched launched;
    synchronized (task) {
      try {
        launched = launch(task, task.plan);
      } catch (StartException e) {
        throw new TaskException("starting container failed: " + e.getMessage());
      }
      task.phase =
          ProcessTask.Phase.RUNNING; // from now on the monitor watches it (and reports its end)
    }
    // Notice the end of a process this JVM started at once rather than at the next sweep.
    launched
        .process()
        .ifPresent(
            p ->
                p.onExit()
                    .thenRun(
                        () -> {
                          if (!monitor.isShutdown()) {
                            monitor.execute(() -> check(task));
                          }
                        }));
    return new Running(task.id, launched.childPid(), task.launch.startedAt());
  }

  @Override
  public CompletableFuture<Exited> waitFor(ProcessTask task) {
    return task.exit;
  }

  @Override
  public boolean watchHealth(ProcessTask task, Consumer<TaskStatus.Health> listener) {
    HealthMonitor checks;
    synchronized (task) {
      if (task.health == null || task.launched == null || task.launch == null) {
        return false;
      }
      HealthCheck check = task.health;
      LaunchPlan l = task.launched;
      LaunchPlan probePlan =
          new LaunchPlan(
              check.command(), l.env(), l.workdir(), l.user(), l.groups(), l.stopSignal());
      HealthProbe probe =
          new HealthProbe(
              launcher.command(probePlan, task.credentials, task.netns),
              l.env(),
              l.workdir(),
              check.timeout(),
              task.dir.file(TaskDir.HEALTHCHECK_OUTPUT));
      checks =
          new HealthMonitor(
              task.id,
              new HealthTracker(check, task.launch.startedAt()),
              probe,
              clock,
              monitor,
              healthChecks,
              () -> checking(task),
              listener);
    }
    checks.start();
    return true;
  }

  /** Whether the task's health is still worth checking: it runs and nobody asked it to stop. */
  private boolean checking(ProcessTask task) {
    synchronized (task) {
      return task.phase == ProcessTask.Phase.RUNNING
          && !task.stopRequested
          && !monitor.isShutdown();
    }
  }

  /** The check of a task: its spec's (an empty test inherits the image's), or its image's. */
  private static Optional<HealthCheck> healthCheck(ContainerSpec spec, ImageManifest image) {
    return HealthCheck.resolve(
        spec.hasHealthcheck() ? spec.getHealthcheck() : null, image.healthcheck());
  }

  @Override
  public void ended(ProcessTask task, TaskStatus status) {
    synchronized (task) {
      task.phase = ProcessTask.Phase.ENDED;
      try {
        task.log.seal(); // followers end (nothing more is logged of a task that never ran)
      } catch (IOException e) {
        LOG.warn("collecting the last output of task {} failed: {}", task.id, e.toString());
      }
      if (task.dir.exists()) {
        try {
          task.dir.writeResult(status);
        } catch (IOException e) {
          LOG.warn("cannot record the end of task {}: {}", task.id, e.toString());
        }
      }
    }
  }

  @Override
  public void remove(ProcessTask task) throws TaskException {
    tasks.remove(task.id, task);
    try {
      task.dir.delete();
    } catch (IOException e) {
      throw new TaskException(
          "cannot delete the state of task "
              + task.id
              + " ("
              + task.dir.path()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public AutoCloseable logs(
      ProcessTask task, LogSubscriptionOptions options, TaskRuntime.LogSink sink) {
    LogSubscription sub = new LogSubscription(task.log, options, sink);
    subscriptions.put(sub, Boolean.TRUE);
    readers.execute(
        () -> {
          try {
            sub.run();
          } finally {
            subscriptions.remove(sub);
          }
        });
    return sub;
  }

  /**
   * Stops watching tasks and following logs; the task processes keep running and the next backend
   * on the same state directory adopts them.
   */
  @Override
  public void close() {
    monitor.shutdownNow();
    healthChecks.shutdownNow(); // a check under way is killed; the next daemon checks again
    subscriptions.keySet().forEach(LogSubscription::close);
    readers.shutdown();
    tasks.values().forEach(t -> t.log.close());
  }

  /**
   * Kills the process group of every task recorded under {@code stateDir} that still runs, without
   * a grace period, and returns how many there were: for tearing down a node whose daemon is gone
   * (task processes outlive their daemon by design). Task state stays on disk.
   */
  public static int killAll(Path stateDir) {
    int killed = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(stateDir, Files::isDirectory)) {
      for (Path dir : dirs) {
        try {
          Optional<LaunchRecord> launch = new TaskDir(dir).readLaunch();
          if (launch.isPresent()
              && launch.get().alive()
              && Signals.sendToGroup(launch.get().pid(), "KILL")) {
            killed++;
          }
        } catch (IOException | IllegalArgumentException e) {
          LOG.debug("no process to kill for {}: {}", dir, e.toString());
        }
      }
    } catch (IOException e) {
      LOG.debug("no task state in {}: {}", stateDir, e.toString());
    }
    return killed;
  }

  /**
   * Kills every task process recorded under {@code stateDir} (as {@link #killAll}) and deletes all
   * task state, for a node leaving its cluster; returns how many processes were killed.
   */
  public static int removeAll(Path stateDir) {
    int killed = killAll(stateDir);
    try {
      new TaskDir(stateDir).delete(); // the same recursive delete, of the whole state directory
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", stateDir, e.toString());
    }
    return killed;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Starting
  // ---------------------------------------------------------------------------------------------------------

  /** Why a start failed, in words for the task's error. */
  private static final class StartException extends Exception {
    StartException(String message) {
      super(message);
    }
  }

  private Launched launch(ProcessTask task, LaunchPlan plan) throws StartException {
    Optional<Credentials> credentials = credentials(plan);
    if (!Files.isDirectory(plan.workdir())) {
      throw new StartException(
          "working directory " + plan.workdir() + " does not exist on this node");
    }
    LaunchPlan withHome = withHome(plan, credentials);
    Map<String, String> env = withHome.env();
    try {
      Executables.find(plan.argv().get(0), env.getOrDefault("PATH", ""), plan.workdir());
    } catch (IllegalArgumentException e) {
      throw new StartException(e.getMessage());
    }
    try {
      Launched launched = launcher.launch(task.dir, withHome, credentials, task.netns);
      LaunchRecord record =
          new LaunchRecord(
              bootId,
              launched.pid(),
              launched.pidStartTime(),
              launched.childPid(),
              clock.instant(),
              Signals.normalize(plan.stopSignal()));
      task.dir.writeLaunch(record);
      task.launch = record;
      task.process = launched.process();
      task.launched = withHome;
      task.credentials = credentials;
      return launched;
    } catch (IOException | RuntimeException e) {
      throw new StartException(e.getMessage());
    }
  }

  /** The user the plan runs as, when it names one; fails when the daemon cannot switch to it. */
  private Optional<Credentials> credentials(LaunchPlan plan) throws StartException {
    Optional<Credentials> credentials = Optional.empty();
    try {
      if (!plan.user().isEmpty()) {
        credentials = Optional.of(users.resolve(plan.user(), plan.groups()));
      } else if (!plan.groups().isEmpty()) {
        throw new StartException("supplementary groups need a user: set the task's user too");
      }
    } catch (UserDatabase.UnknownUserException e) {
      throw new StartException(e.getMessage());
    } catch (IOException e) {
      throw new StartException("reading the user database: " + e.getMessage());
    }
    int self = ProcStat.effectiveUid();
    if (credentials.isPresent() && self != 0 && self != credentials.get().uid()) {
      throw new StartException(
          "running a task as user " + plan.user() + " needs the daemon to run as root");
    }
    return credentials;
  }

  /** The plan with HOME set (from the user's passwd entry, else the daemon's) unless it sets it. */
  private static LaunchPlan withHome(LaunchPlan plan, Optional<Credentials> credentials) {
    Map<String, String> env = new LinkedHashMap<>(plan.env());
    String home = credentials.map(Credentials::home).orElse(System.getProperty("user.home", "/"));
    env.putIfAbsent("HOME", home);
    return new LaunchPlan(
        plan.argv(), env, plan.workdir(), plan.user(), plan.groups(), plan.stopSignal());
  }

  private static String describe(String image, Exception e) {
    if (e instanceof IllegalArgumentException && "No command specified".equals(e.getMessage())) {
      return e.getMessage();
    }
    return "image " + image + ": " + e.getMessage();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Stopping
  // ---------------------------------------------------------------------------------------------------------

  @Override
  public void stop(ProcessTask task, Duration grace) {
    synchronized (task) {
      if (task.phase != ProcessTask.Phase.RUNNING || task.stopRequested) {
        return;
      }
      task.stopRequested = true;
      try {
        task.dir.markStopRequested();
      } catch (IOException e) {
        LOG.warn("cannot record the stop of task {}: {}", task.id, e.toString());
      }
      if (task.launch.alive()) {
        Signals.sendToGroup(task.launch.pid(), task.launch.stopSignal());
      }
      long millis = Math.max(0, grace.toMillis());
      task.killTimer = monitor.schedule(() -> kill(task), millis, TimeUnit.MILLISECONDS);
    }
  }

  /** The grace period is over: kill whatever is left of the task's process group. */
  private void kill(ProcessTask task) {
    synchronized (task) {
      if (task.phase != ProcessTask.Phase.RUNNING || task.launch == null || !task.launch.alive()) {
        return;
      }
      try {
        task.dir.markKilled();
      } catch (IOException e) {
        LOG.warn("cannot record the kill of task {}: {}", task.id, e.toString());
      }
      LOG.info("task {} did not stop within its grace period; killing it", task.id);
      Signals.sendToGroup(task.launch.pid(), "KILL");
    }
    check(task);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Watching
  // ---------------------------------------------------------------------------------------------------------

  private void sweep() {
    for (ProcessTask task : tasks.values()) {
      try {
        check(task);
      } catch (RuntimeException e) {
        LOG.warn("watching task {} failed: {}", task.id, e.toString());
      }
    }
  }

  /** Collects the running task's new output and notices when it has ended. */
  private void check(ProcessTask task) {
    Exited ended;
    synchronized (task) {
      if (task.phase != ProcessTask.Phase.RUNNING) {
        return;
      }
      try {
        task.log.collect();
      } catch (IOException e) {
        LOG.warn("collecting the output of task {} failed: {}", task.id, e.toString());
      }
      ended = exitOf(task);
      if (ended == null) {
        return;
      }
      finish(task);
    }
    task.exit.complete(ended);
  }

  /** How the task's process ended, or null while it runs. */
  private Exited exitOf(ProcessTask task) {
    OptionalInt exit = task.dir.exitCode();
    if (exit.isEmpty()) {
      if (task.launch.alive()) {
        return null;
      }
      exit = task.dir.exitCode(); // it may have written the code just before it ended
    }
    boolean stop = task.stopRequested || task.dir.stopRequested();
    int pid = task.launch.childPid();
    if (exit.isPresent()) {
      Instant at = task.dir.exitTime().map(t -> t.toInstant()).orElse(clock.instant());
      return new Exited(task.id, pid, exit.getAsInt(), at, stop, "");
    }
    // The wrapper died without writing a code: killed (by us after the grace period, or by someone
    // else).
    Optional<Process> p = task.process.filter(proc -> !proc.isAlive());
    if (p.isPresent() || task.dir.killed()) {
      int code = p.map(Process::exitValue).orElse(KILLED_EXIT_CODE);
      return new Exited(task.id, pid, code, clock.instant(), stop, "");
    }
    return new Exited(
        task.id,
        pid,
        -1,
        clock.instant(),
        stop,
        "task: the process ended while the daemon was not watching and its exit code was lost");
  }

  /** Records the end (under the task's lock): stragglers killed, output sealed. */
  private void finish(ProcessTask task) {
    task.phase = ProcessTask.Phase.ENDED;
    if (task.killTimer != null) {
      task.killTimer.cancel(false);
    }
    if (task.launch != null
        && ProcStat.read(task.launch.pid()).map(s -> s.pgrp() == task.launch.pid()).orElse(true)) {
      // The command's own children may outlive it in its process group; a container's would die
      // with it.
      Signals.sendToGroup(task.launch.pid(), "KILL");
    }
    try {
      task.log.seal();
    } catch (IOException e) {
      LOG.warn("collecting the last output of task {} failed: {}", task.id, e.toString());
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Adopting
  // ---------------------------------------------------------------------------------------------------------

  /**
   * Finds out (under the task's lock) what became of a task from before a restart, and watches it
   * if it runs.
   */
  private Found recover(ProcessTask task) {
    try {
      Optional<TaskStatus> result = task.dir.readResult();
      if (result.isPresent()) {
        task.log.seal();
        task.phase = ProcessTask.Phase.ENDED;
        return new Ended(result.get());
      }
      Optional<LaunchRecord> launch;
      try {
        launch = task.dir.readLaunch();
      } catch (IllegalArgumentException e) {
        launch = Optional.empty();
      }
      if (launch.isEmpty()) {
        // The daemon died while starting it; a process it may have started just before is not known
        // well enough
        // to adopt, so it must not run unwatched.
        task.dir.orphanWrapper().ifPresent(pid -> Signals.sendToGroup(pid, "KILL"));
        task.phase = ProcessTask.Phase.ENDED;
        return new Lost("the daemon restarted while the task was being prepared");
      }
      // A stop asked of the previous daemon is remembered on disk (an exit then reads as SHUTDOWN)
      // but not
      // here: its kill timer died with it, so the lifecycle's next stop must signal again.
      task.launch = launch.get();
      task.phase = ProcessTask.Phase.RUNNING;
      Exited ended = exitOf(task);
      if (ended != null) {
        finish(task);
        LOG.info(
            "task {} ended while the daemon was down (exit code {})", task.id, ended.exitCode());
        return ended;
      }
      LOG.info("adopted running task {} (pid {})", task.id, task.launch.childPid());
      restoreHealthCheck(task);
      return new Running(task.id, task.launch.childPid(), task.launch.startedAt());
    } catch (IOException e) {
      LOG.warn("cannot read the state of task {}: {}", task.id, e.toString());
      task.phase = ProcessTask.Phase.ENDED;
      return new Lost("cannot read the task's state after a restart: " + e.getMessage());
    }
  }

  /**
   * Makes the health check of an adopted running task known again, from the spec kept at prepare
   * and its image; a task whose check cannot be rebuilt runs on unchecked, with a warning.
   */
  private void restoreHealthCheck(ProcessTask task) {
    try {
      task.netns = task.dir.readNetns();
      Optional<ContainerSpec> spec = task.dir.readSpec();
      if (spec.isEmpty()) {
        return;
      }
      ImageManifest image = images.resolve(spec.get().getImage());
      Optional<HealthCheck> check = healthCheck(spec.get(), image);
      if (check.isEmpty()) {
        return;
      }
      LaunchPlan plan = LaunchPlan.of(spec.get(), image);
      Optional<Credentials> credentials = credentials(plan);
      task.launched = withHome(plan, credentials);
      task.credentials = credentials;
      task.health = check.get();
    } catch (IOException
        | IllegalArgumentException
        | ImageStore.NoSuchImageException
        | StartException e) {
      LOG.warn(
          "task {} runs on, but its health check cannot be run again after the restart: {}",
          task.id,
          e.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------------------

  private ProcessTask newTask(String id) {
    TaskDir dir = new TaskDir(stateDir.resolve(id));
    return new ProcessTask(id, dir, TaskLog.of(dir, clock));
  }
}
