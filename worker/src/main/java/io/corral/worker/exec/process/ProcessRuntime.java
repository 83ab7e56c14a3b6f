package io.corral.worker.exec.process;

import io.corral.api.ContainerSpec;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.NamedThreads;
import io.corral.worker.agent.TaskRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code process} executor: runs each task's entrypoint and command as a host process in its own session, from
 * an image directory under the node's image root (docs/process-images.md). Task state lives under
 * {@code <stateDir>/<taskId>/}, so processes outlive the daemon and a new instance on the same state directory
 * adopts them (and learns how those that ended meanwhile exited). {@link #close} stops watching but leaves the
 * processes running, as a daemon restart does.
 */
public final class ProcessRuntime implements TaskRuntime, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
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
  private final ExecutorService starter;
  private final ExecutorService readers;

  /**
   * A runtime taking images from {@code imageRoot} ({@code <dataDir>/images}) and keeping task state in
   * {@code stateDir} ({@code <dataDir>/tasks}, created when missing).
   */
  public ProcessRuntime(Path imageRoot, Path stateDir) {
    this(imageRoot, stateDir, UserDatabase.system(), ProcessLauncher.system(), Clock.systemUTC());
  }

  ProcessRuntime(Path imageRoot, Path stateDir, UserDatabase users, ProcessLauncher launcher, Clock clock) {
    this.images = new ImageStore(imageRoot);
    this.stateDir = stateDir;
    this.users = users;
    this.launcher = launcher;
    this.clock = clock;
    try {
      Files.createDirectories(stateDir);
      Files.createDirectories(imageRoot); // so that whoever adds images finds where they go
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the process executor's state directory " + stateDir
          + ": " + e.getMessage() + "; check the daemon's --data-dir and its permissions", e);
    }
    monitor = Executors.newSingleThreadScheduledExecutor(NamedThreads.numbered("corral-process-monitor"));
    starter = Executors.newFixedThreadPool(4, NamedThreads.numbered("corral-process-start"));
    readers = Executors.newCachedThreadPool(NamedThreads.numbered("corral-process-logs"));
    monitor.scheduleWithFixedDelay(this::sweep, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------------------------------------------------
  // TaskRuntime
  // ---------------------------------------------------------------------------------------------------------

  @Override
  public Map<String, TaskStatus> adopt(Listener listener) {
    Map<String, TaskStatus> found = new LinkedHashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(stateDir, Files::isDirectory)) {
      for (Path dir : dirs) {
        String id = dir.getFileName().toString();
        if (!TASK_ID.matcher(id).matches()) {
          continue;
        }
        ProcessTask task = tasks.computeIfAbsent(id, k -> newTask(k, listener));
        task.listener = listener;
        synchronized (task) {
          if (task.status == null) {
            recover(task);
          }
        }
        if (task.status != null) {
          found.put(id, task.status);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list the task state directory {}: {}", stateDir, e.toString());
    }
    return found;
  }

  @Override
  public void start(Task task, Listener listener) {
    String id = task.getId();
    if (!TASK_ID.matcher(id).matches()) {
      listener.onStatus(id, Statuses.rejected("invalid task id \"" + id + "\"", clock.instant()));
      return;
    }
    ProcessTask created = newTask(id, listener);
    ProcessTask existing = tasks.putIfAbsent(id, created);
    if (existing != null) {
      LOG.debug("task {} is already known; not starting it again", id);
      return;
    }
    if (created.dir.exists()) {
      // Started before a restart that nobody adopted: never run it twice; report what became of it instead.
      synchronized (created) {
        recover(created);
      }
      report(created, created.status);
      return;
    }
    starter.execute(() -> {
      try {
        prepareAndStart(created, task);
      } catch (RuntimeException e) {
        LOG.error("starting task {} failed unexpectedly", id, e);
        boolean ended;
        synchronized (created) {
          ended = created.phase != ProcessTask.Phase.STARTING || created.launch != null;
        }
        if (!ended) {
          endBeforeRunning(created, Statuses.rejected("the process executor failed to start the task: " + e,
              clock.instant()));
        }
      }
    });
  }

  @Override
  public void stop(String taskId, Duration gracePeriod) {
    ProcessTask task = tasks.get(taskId);
    if (task != null) {
      requestStop(task, gracePeriod);
    }
  }

  @Override
  public void remove(String taskId, Duration gracePeriod) {
    ProcessTask task = tasks.get(taskId);
    if (task == null) {
      if (!TASK_ID.matcher(taskId).matches() || !Files.isDirectory(stateDir.resolve(taskId))) {
        return;
      }
      // Left from before a restart but never adopted: find out whether it still runs before deleting it.
      task = tasks.computeIfAbsent(taskId, k -> newTask(k, null));
      synchronized (task) {
        if (task.status == null) {
          recover(task);
        }
      }
    }
    boolean ended;
    synchronized (task) {
      task.removed = true;
      ended = task.phase == ProcessTask.Phase.ENDED;
    }
    if (ended) {
      delete(task);
    } else {
      requestStop(task, gracePeriod); // deleted once it has ended
    }
  }

  @Override
  public AutoCloseable logs(String taskId, LogSubscriptionOptions options, LogSink sink) {
    ProcessTask task = tasks.get(taskId);
    if (task == null) {
      sink.end();
      return () -> { };
    }
    LogSubscription sub = new LogSubscription(task.log, options, sink);
    subscriptions.put(sub, Boolean.TRUE);
    readers.execute(() -> {
      try {
        sub.run();
      } finally {
        subscriptions.remove(sub);
      }
    });
    return sub;
  }

  /**
   * Stops watching tasks and following logs; the task processes keep running and the next runtime on the same
   * state directory adopts them.
   */
  @Override
  public void close() {
    monitor.shutdownNow();
    starter.shutdownNow();
    subscriptions.keySet().forEach(LogSubscription::close);
    readers.shutdown();
    tasks.values().forEach(t -> t.log.close());
  }

  /**
   * Kills the process group of every task recorded under {@code stateDir} that still runs, without a grace
   * period, and returns how many there were: for tearing down a node whose daemon is gone (task processes
   * outlive their daemon by design). Task state stays on disk.
   */
  public static int killAll(Path stateDir) {
    int killed = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(stateDir, Files::isDirectory)) {
      for (Path dir : dirs) {
        try {
          Optional<LaunchRecord> launch = new TaskDir(dir).readLaunch();
          if (launch.isPresent() && launch.get().alive() && Signals.sendToGroup(launch.get().pid(), "KILL")) {
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

  // ---------------------------------------------------------------------------------------------------------
  // Starting
  // ---------------------------------------------------------------------------------------------------------

  private void prepareAndStart(ProcessTask task, Task spec) {
    ContainerSpec container = spec.getSpec().getContainer();
    report(task, Statuses.of(TaskState.ACCEPTED, "accepted", clock.instant()));
    report(task, Statuses.of(TaskState.PREPARING, "preparing", clock.instant()));
    LaunchPlan plan;
    try {
      task.dir.create();
      ImageManifest image = images.resolve(container.getImage());
      plan = LaunchPlan.of(container, image);
    } catch (ImageStore.NoSuchImageException e) {
      endBeforeRunning(task, Statuses.rejected(e.getMessage(), clock.instant()));
      return;
    } catch (IOException | IllegalArgumentException e) {
      endBeforeRunning(task, Statuses.rejected(describe(container.getImage(), e), clock.instant()));
      return;
    }
    report(task, Statuses.of(TaskState.READY, "prepared", clock.instant()));
    report(task, Statuses.of(TaskState.STARTING, "starting", clock.instant()));
    Launched launched = null;
    TaskStatus notStarted = null;
    synchronized (task) {
      if (task.stopRequested) {
        notStarted = Statuses.of(TaskState.SHUTDOWN, "shutdown", clock.instant());
      } else {
        try {
          launched = launch(task, plan);
        } catch (StartException e) {
          notStarted = Statuses.failedToStart("starting container failed: " + e.getMessage(), clock.instant());
        }
      }
    }
    if (launched == null) {
      endBeforeRunning(task, notStarted);
      return;
    }
    report(task, Statuses.running(task.id, launched.childPid(), task.launch.startedAt()));
    synchronized (task) {
      task.phase = ProcessTask.Phase.RUNNING; // from now on the monitor watches it (and reports its end)
    }
    // Notice the end of a process this JVM started at once rather than at the next sweep.
    launched.process().ifPresent(p -> p.onExit().thenRun(() -> {
      if (!monitor.isShutdown()) {
        monitor.execute(() -> check(task));
      }
    }));
  }

  /** Why a start failed, in words for the task's error. */
  private static final class StartException extends Exception {
    StartException(String message) {
      super(message);
    }
  }

  private Launched launch(ProcessTask task, LaunchPlan plan) throws StartException {
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
      throw new StartException("running a task as user " + plan.user() + " needs the daemon to run as root");
    }
    if (!Files.isDirectory(plan.workdir())) {
      throw new StartException("working directory " + plan.workdir() + " does not exist on this node");
    }
    Map<String, String> env = new LinkedHashMap<>(plan.env());
    String home = credentials.map(Credentials::home).orElse(System.getProperty("user.home", "/"));
    env.putIfAbsent("HOME", home);
    LaunchPlan withHome = new LaunchPlan(plan.argv(), env, plan.workdir(), plan.user(), plan.groups(),
        plan.stopSignal());
    try {
      Executables.find(plan.argv().get(0), env.getOrDefault("PATH", ""), plan.workdir());
    } catch (IllegalArgumentException e) {
      throw new StartException(e.getMessage());
    }
    try {
      Launched launched = launcher.launch(task.dir, withHome, credentials);
      LaunchRecord record = new LaunchRecord(bootId, launched.pid(), launched.pidStartTime(), launched.childPid(),
          clock.instant(), Signals.normalize(plan.stopSignal()));
      task.dir.writeLaunch(record);
      task.launch = record;
      task.process = launched.process();
      return launched;
    } catch (IOException | RuntimeException e) {
      throw new StartException(e.getMessage());
    }
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

  private void requestStop(ProcessTask task, Duration grace) {
    synchronized (task) {
      if (task.phase == ProcessTask.Phase.ENDED || task.stopRequested) {
        return;
      }
      task.stopRequested = true;
      if (task.launch == null) {
        return; // not started yet: the start sees the request and ends the task instead
      }
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
      if (task.phase == ProcessTask.Phase.ENDED || task.launch == null || !task.launch.alive()) {
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
    TaskStatus ended;
    synchronized (task) {
      if (task.phase != ProcessTask.Phase.RUNNING) {
        return;
      }
      try {
        task.log.collect();
      } catch (IOException e) {
        LOG.warn("collecting the output of task {} failed: {}", task.id, e.toString());
      }
      ended = endedStatus(task);
      if (ended == null) {
        return;
      }
      finish(task, ended);
    }
    report(task, ended);
    afterEnd(task);
  }

  /** The task's final status when its process has ended, or null while it runs. */
  private TaskStatus endedStatus(ProcessTask task) {
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
      return Statuses.exited(task.id, pid, exit.getAsInt(), stop, at);
    }
    // The wrapper died without writing a code: killed (by us after the grace period, or by someone else).
    Optional<Process> p = task.process.filter(proc -> !proc.isAlive());
    if (p.isPresent() || task.dir.killed()) {
      int code = p.map(Process::exitValue).orElse(KILLED_EXIT_CODE);
      return Statuses.exited(task.id, pid, code, stop, clock.instant());
    }
    TaskStatus lost = Statuses.exited(task.id, pid, -1, stop, clock.instant());
    return stop ? lost : lost.toBuilder()
        .setErr("task: the process ended while the daemon was not watching and its exit code was lost").build();
  }

  /** Records the end (under the task's lock): stragglers killed, output sealed, final status persisted. */
  private void finish(ProcessTask task, TaskStatus status) {
    task.phase = ProcessTask.Phase.ENDED;
    if (task.killTimer != null) {
      task.killTimer.cancel(false);
    }
    if (task.launch != null && ProcStat.read(task.launch.pid()).map(s -> s.pgrp() == task.launch.pid())
        .orElse(true)) {
      // The command's own children may outlive it in its process group; a container's would die with it.
      Signals.sendToGroup(task.launch.pid(), "KILL");
    }
    try {
      task.log.seal();
    } catch (IOException e) {
      LOG.warn("collecting the last output of task {} failed: {}", task.id, e.toString());
    }
    try {
      task.dir.writeResult(status);
    } catch (IOException e) {
      LOG.warn("cannot record the end of task {}: {}", task.id, e.toString());
    }
    task.status = status;
  }

  private void endBeforeRunning(ProcessTask task, TaskStatus status) {
    synchronized (task) {
      endBeforeRunningLocked(task, status);
    }
    report(task, status);
    afterEnd(task);
  }

  private void endBeforeRunningLocked(ProcessTask task, TaskStatus status) {
    task.phase = ProcessTask.Phase.ENDED;
    try {
      task.log.seal(); // nothing ran, so nothing to log; followers end
    } catch (IOException e) {
      LOG.warn("sealing the log of task {} failed: {}", task.id, e.toString());
    }
    if (task.dir.exists()) {
      try {
        task.dir.writeResult(status);
      } catch (IOException e) {
        LOG.warn("cannot record the end of task {}: {}", task.id, e.toString());
      }
    }
    task.status = status;
  }

  /** Deletes an ended task the agent has removed. */
  private void afterEnd(ProcessTask task) {
    boolean removed;
    synchronized (task) {
      removed = task.removed;
    }
    if (removed) {
      delete(task);
    }
  }

  private void delete(ProcessTask task) {
    tasks.remove(task.id, task);
    try {
      task.dir.delete();
    } catch (IOException e) {
      LOG.warn("cannot delete the state of task {} ({}): {}", task.id, task.dir.path(), e.toString());
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Adopting
  // ---------------------------------------------------------------------------------------------------------

  /** Finds out (under the task's lock) what became of a task from before a restart, and watches it if it runs. */
  private void recover(ProcessTask task) {
    try {
      Optional<TaskStatus> result = task.dir.readResult();
      if (result.isPresent()) {
        task.log.seal();
        task.phase = ProcessTask.Phase.ENDED;
        task.status = result.get();
        return;
      }
      Optional<LaunchRecord> launch;
      try {
        launch = task.dir.readLaunch();
      } catch (IllegalArgumentException e) {
        launch = Optional.empty();
      }
      if (launch.isEmpty()) {
        // The daemon died while starting it; a process it may have started just before is not known well enough
        // to adopt, so it must not run unwatched.
        task.dir.orphanWrapper().ifPresent(pid -> Signals.sendToGroup(pid, "KILL"));
        endBeforeRunningLocked(task, Statuses.rejected("the daemon restarted while the task was being prepared",
            clock.instant()));
        return;
      }
      // A stop asked of the previous daemon is remembered on disk (an exit then reads as SHUTDOWN) but not
      // here: its kill timer died with it, so the agent's next stop must signal again.
      task.launch = launch.get();
      task.phase = ProcessTask.Phase.RUNNING;
      TaskStatus ended = endedStatus(task);
      if (ended != null) {
        finish(task, ended);
        LOG.info("task {} ended while the daemon was down: {}", task.id, ended.getState());
      } else {
        task.status = Statuses.running(task.id, task.launch.childPid(), task.launch.startedAt());
        LOG.info("adopted running task {} (pid {})", task.id, task.launch.childPid());
      }
    } catch (IOException e) {
      LOG.warn("cannot read the state of task {}: {}", task.id, e.toString());
      endBeforeRunningLocked(task, Statuses.rejected("cannot read the task's state after a restart: "
          + e.getMessage(), clock.instant()));
    }
  }

  // ---------------------------------------------------------------------------------------------------------

  private void report(ProcessTask task, TaskStatus status) {
    Listener listener;
    synchronized (task) {
      if (task.removed) {
        return;
      }
      task.status = status;
      listener = task.listener;
    }
    if (listener != null) {
      try {
        listener.onStatus(task.id, status);
      } catch (RuntimeException e) {
        LOG.warn("status listener failed for task {}: {}", task.id, e.toString());
      }
    }
  }

  private ProcessTask newTask(String id, Listener listener) {
    TaskDir dir = new TaskDir(stateDir.resolve(id));
    return new ProcessTask(id, dir, listener, TaskLog.of(dir, clock));
  }
}
