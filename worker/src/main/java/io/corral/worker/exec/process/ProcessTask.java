package io.corral.worker.exec.process;

import io.corral.worker.agent.TaskBackend;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * The backend's in-memory record of one task: its directory and log, the started process once there
 * is one, and where it is in its life. Guarded by its own monitor (the lifecycle's steps and the
 * backend's monitor both touch it); the exit future is completed outside it.
 */
final class ProcessTask implements TaskBackend.Handle {

  /** Where a task is: being prepared and started, running (watched by the monitor), or ended. */
  enum Phase {
    STARTING,
    RUNNING,
    ENDED
  }

  final String id;
  final TaskDir dir;
  final TaskLog log;

  /** Completes once the monitor sees the started (or adopted) process end. */
  final CompletableFuture<TaskBackend.Exited> exit = new CompletableFuture<>();

  Phase phase = Phase.STARTING;
  LaunchPlan plan;

  /** The task's health check (its spec's merged with its image's), or null when it has none. */
  HealthCheck health;

  /** What was started: the plan with HOME set, and the user it runs as (its checks run so too). */
  LaunchPlan launched;

  Optional<Credentials> credentials = Optional.empty();

  /** The network namespace its command and checks run in (overlay networks), else empty. */
  Optional<String> netns = Optional.empty();

  LaunchRecord launch;
  Optional<Process> process = Optional.empty();
  boolean stopRequested;
  ScheduledFuture<?> killTimer;

  ProcessTask(String id, TaskDir dir, TaskLog log) {
    this.id = id;
    this.dir = dir;
    this.log = log;
  }

  /** A process task's "container" is its process group, named by the task id. */
  @Override
  public String containerId() {
    return id;
  }
}
