package io.corral.worker.exec.docker;

import io.corral.worker.agent.TaskBackend;
import java.util.concurrent.CompletableFuture;

/**
 * What the Docker backend knows about one task's container. The lifecycle calls its steps one at a
 * time; the volatile fields are also read by logs and by the wait for the container's exit.
 */
final class DockerTask implements TaskBackend.Handle {
  final String taskId;

  /** Set once the container exists. */
  volatile String containerId;

  /**
   * Whether the container writes through a TTY (one raw stream instead of multiplexed
   * stdout/stderr).
   */
  volatile boolean tty;

  /**
   * Docker's word for the container's health (starting, healthy, unhealthy) when last inspected;
   * null when it has no health check or was not inspected yet.
   */
  volatile String health;

  /** Engine failures in a row while waiting for the exit. */
  volatile int waitFailures;

  /** The engine's wait for the exit now under way (cancelled when the backend closes). */
  volatile CompletableFuture<Integer> engineWait;

  DockerTask(String taskId, String containerId, boolean tty) {
    this.taskId = taskId;
    this.containerId = containerId;
    this.tty = tty;
  }

  @Override
  public String containerId() {
    return containerId;
  }
}
