package io.corral.worker.exec.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.TaskStatus.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  private static HealthCheck check(int retries, Duration startPeriod, Duration startInterval) {
    return new HealthCheck(
        List.of("true"),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        retries,
        startPeriod,
        startInterval);
  }

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void startsStartingAndTheFirstPassMakesItHealthy() {
    HealthTracker t = new HealthTracker(check(3, Duration.ZERO, Duration.ofSeconds(10)), T0);
    assertThat(t.health()).isEqualTo(Health.STARTING);
    assertThat(t.record(at(10), true)).isEqualTo(Health.HEALTHY);
  }

  @Test
  void retriesFailuresInARowMakeItUnhealthyAndAPassResetsTheStreak() {
    HealthTracker t = new HealthTracker(check(3, Duration.ZERO, Duration.ofSeconds(10)), T0);
    assertThat(t.record(at(10), false)).isEqualTo(Health.STARTING);
    assertThat(t.record(at(20), false)).isEqualTo(Health.STARTING);
    assertThat(t.record(at(30), true)).isEqualTo(Health.HEALTHY);
    assertThat(t.failingStreak()).isZero();
    assertThat(t.record(at(40), false)).isEqualTo(Health.HEALTHY);
    assertThat(t.record(at(50), false)).isEqualTo(Health.HEALTHY);
    assertThat(t.failingStreak()).isEqualTo(2);
    assertThat(t.record(at(60), false)).isEqualTo(Health.UNHEALTHY);
  }

  @Test
  void unhealthyIsFinal() {
    HealthTracker t = new HealthTracker(check(1, Duration.ZERO, Duration.ofSeconds(10)), T0);
    assertThat(t.record(at(10), false)).isEqualTo(Health.UNHEALTHY);
    assertThat(t.record(at(20), true)).isEqualTo(Health.UNHEALTHY);
  }

  @Test
  void failuresBegunWithinTheStartPeriodDoNotCount() {
    HealthTracker t =
        new HealthTracker(check(1, Duration.ofSeconds(30), Duration.ofSeconds(2)), T0);
    assertThat(t.record(at(2), false)).isEqualTo(Health.STARTING);
    assertThat(t.record(at(29), false)).isEqualTo(Health.STARTING);
    assertThat(t.failingStreak()).isZero();
    assertThat(t.record(at(30), false)).isEqualTo(Health.UNHEALTHY);
  }

  @Test
  void aPassEndsTheStartPeriod() {
    HealthTracker t =
        new HealthTracker(check(1, Duration.ofSeconds(30), Duration.ofSeconds(2)), T0);
    assertThat(t.record(at(2), true)).isEqualTo(Health.HEALTHY);
    assertThat(t.record(at(4), false)).isEqualTo(Health.UNHEALTHY);
  }

  @Test
  void checksComeAtTheStartIntervalOnlyWhileStartingWithinTheStartPeriod() {
    HealthTracker t =
        new HealthTracker(check(3, Duration.ofSeconds(30), Duration.ofSeconds(2)), T0);
    assertThat(t.delayAfter(T0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(t.delayAfter(at(30))).isEqualTo(Duration.ofSeconds(10));
    t.record(at(2), true);
    assertThat(t.delayAfter(at(3))).isEqualTo(Duration.ofSeconds(10));
  }
}
