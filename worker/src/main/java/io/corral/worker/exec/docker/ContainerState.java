package io.corral.worker.exec.docker;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code GET /containers/{id}/json} tells about a container. {@code status} is docker's word
 * (created, running, paused, restarting, removing, exited, dead); times are null when the event has
 * not happened; {@code health} is null without a healthcheck.
 */
public record ContainerState(
    String id,
    String name,
    String image,
    String status,
    boolean running,
    int exitCode,
    int pid,
    Instant startedAt,
    Instant finishedAt,
    String error,
    boolean oomKilled,
    String health,
    boolean tty,
    Map<String, String> labels,
    long memoryBytes,
    long nanoCpus) {

  /** True once the container has run and is no longer running. */
  public boolean exited() {
    return "exited".equals(status) || "dead".equals(status);
  }
}
