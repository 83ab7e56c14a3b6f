package io.corral.worker.exec.process;

import io.corral.api.TaskStatus.Health;
import java.time.Duration;
import java.time.Instant;

/**
 * Docker's health state machine for one started task (compare the engine's {@code
 * daemon/health.go}): STARTING until a check passes, then HEALTHY; a pass resets the failing
 * streak, and {@code retries} failures in a row make it UNHEALTHY, which is final here since the
 * task is then stopped. Failures of checks begun within the start period do not count while the
 * task is still STARTING, so a first pass ends the start period early. Pure: times are given.
 */
final class HealthTracker {
  private final HealthCheck check;
  private final Instant startedAt;
  private Health health = Health.STARTING;
  private int failingStreak;

  HealthTracker(HealthCheck check, Instant startedAt) {
    this.check = check;
    this.startedAt = startedAt;
  }

  Health health() {
    return health;
  }

  /** Failed checks in a row that counted. */
  int failingStreak() {
    return failingStreak;
  }

  /** Records the outcome of a check begun at {@code began}; returns the health after it. */
  Health record(Instant began, boolean passed) {
    if (health == Health.UNHEALTHY) {
      return health;
    }
    if (passed) {
      failingStreak = 0;
      health = Health.HEALTHY;
    } else if (!inStartPeriod(began)) {
      failingStreak++;
      if (failingStreak >= check.retries()) {
        health = Health.UNHEALTHY;
      }
    }
    return health;
  }

  /**
   * How long after {@code now} (the start, or the end of the last check) the next check begins: the
   * start interval while still starting within the start period, else the interval.
   */
  Duration delayAfter(Instant now) {
    return inStartPeriod(now) ? check.startInterval() : check.interval();
  }

  private boolean inStartPeriod(Instant at) {
    return health == Health.STARTING
        && Duration.between(startedAt, at).compareTo(check.startPeriod()) < 0;
  }
}
