package io.corral.worker.exec.process;

import io.corral.api.HealthConfig;
import io.corral.common.ProtoTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A task's health check as the process executor runs it: the command ({@code CMD} arguments, or
 * {@code CMD-SHELL} as {@code /bin/sh -c}) and docker's timing, with the defaults filled in.
 *
 * @param command the program and its arguments
 * @param interval time between the end of one check and the start of the next
 * @param timeout a check running longer than this is killed and counts as failed
 * @param retries consecutive failures that make the task unhealthy
 * @param startPeriod time after the start during which failures do not count (until a first pass)
 * @param startInterval time between checks during the start period
 */
public record HealthCheck(
    List<String> command,
    Duration interval,
    Duration timeout,
    int retries,
    Duration startPeriod,
    Duration startInterval) {

  /** Docker's default interval and timeout (30 s) and retries (3). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_RETRIES = 3;

  public HealthCheck {
    command = List.copyOf(command);
  }

  /**
   * The check of a task whose spec says {@code spec} (null when the spec has none) on an image
   * whose manifest says {@code image} (null when it has none), merged field by field as docker
   * merges a container's healthcheck with its image's: an empty test, a zero duration or zero
   * retries take the image's. Empty when the merged test is empty or {@code NONE}; throws {@link
   * IllegalArgumentException} naming the field when the test is malformed.
   */
  public static Optional<HealthCheck> resolve(HealthConfig spec, HealthConfig image) {
    HealthConfig s = spec == null ? HealthConfig.getDefaultInstance() : spec;
    HealthConfig i = image == null ? HealthConfig.getDefaultInstance() : image;
    List<String> test = s.getTestCount() > 0 ? s.getTestList() : i.getTestList();
    if (test.isEmpty() || test.get(0).equals("NONE")) {
      return Optional.empty();
    }
    List<String> command =
        switch (test.get(0)) {
          case "CMD" -> test.subList(1, test.size());
          case "CMD-SHELL" ->
              List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
          default ->
              throw new IllegalArgumentException(
                  "healthcheck.test: unknown form \""
                      + test.get(0)
                      + "\"; start it with NONE, CMD or CMD-SHELL");
        };
    if (command.isEmpty() || command.get(0).isEmpty()) {
      throw new IllegalArgumentException(
          "healthcheck.test: " + test.get(0) + " needs a command to run");
    }
    Duration interval = first(DEFAULT_INTERVAL, s.getInterval(), i.getInterval());
    Duration timeout = first(DEFAULT_TIMEOUT, s.getTimeout(), i.getTimeout());
    Duration startPeriod = first(Duration.ZERO, s.getStartPeriod(), i.getStartPeriod());
    // Unset, checks during the start period come at the interval, as on engines before
    // start_interval (the Docker engine this project targets, 20.10, has none).
    Duration startInterval = first(interval, s.getStartInterval(), i.getStartInterval());
    int retries = s.getRetries() > 0 ? s.getRetries() : i.getRetries();
    return Optional.of(
        new HealthCheck(
            command,
            interval,
            timeout,
            retries > 0 ? retries : DEFAULT_RETRIES,
            startPeriod,
            startInterval));
  }

  /** The first positive one of {@code candidates} (unset is zero), else {@code fallback}. */
  private static Duration first(Duration fallback, com.google.protobuf.Duration... candidates) {
    for (com.google.protobuf.Duration d : candidates) {
      Duration value = ProtoTime.duration(d);
      if (!value.isNegative() && !value.isZero()) {
        return value;
      }
    }
    return fallback;
  }
}
