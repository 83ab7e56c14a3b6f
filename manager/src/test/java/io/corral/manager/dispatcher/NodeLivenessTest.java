package io.corral.manager.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeLivenessTest {

  private static final Duration PERIOD = Duration.ofSeconds(5);
  private final Instant t0 = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void aNodeIsDownOnlyAfterThreeMissedPeriods() {
    NodeLiveness live = new NodeLiveness();
    live.heard("a", t0);
    assertThat(live.expire(t0.plusSeconds(14), PERIOD)).isEmpty();
    assertThat(live.expire(t0.plusSeconds(15), PERIOD)).isEmpty();
    assertThat(live.expire(t0.plusSeconds(16), PERIOD)).containsExactly("a");
  }

  @Test
  void aHeartbeatRestartsTheCountAndAnExpiredNodeIsReportedOnce() {
    NodeLiveness live = new NodeLiveness();
    live.heard("a", t0);
    live.heard("b", t0);
    live.heard("a", t0.plusSeconds(10));
    assertThat(live.expire(t0.plusSeconds(20), PERIOD)).containsExactly("b");
    assertThat(live.expire(t0.plusSeconds(21), PERIOD)).isEmpty();
    assertThat(live.tracks("b")).isFalse();
    assertThat(live.expire(t0.plusSeconds(26), PERIOD)).containsExactly("a");
  }
}
