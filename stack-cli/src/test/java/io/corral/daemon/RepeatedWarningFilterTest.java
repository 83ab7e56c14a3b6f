package io.corral.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatedWarningFilterTest {

  private static final long MINUTE = 60_000_000_000L;

  private final LoggerContext context = new LoggerContext();
  private final Logger ratis = context.getLogger("org.apache.ratis.grpc.server.GrpcLogAppender");
  private final AtomicLong now = new AtomicLong();
  private final RepeatedWarningFilter filter = new RepeatedWarningFilter(now::get);

  private FilterReply warn(Logger logger, String format, Object... params) {
    return filter.decide(null, logger, Level.WARN, format, params, null);
  }

  @Test
  void aWarningThatRepeatsWithOtherCountersPassesOncePerQuietPeriod() {
    String peer = "m1@group-1->m3-GrpcLogAppender";
    assertThat(
            warn(
                ratis,
                "{}: Follower failed (request={}, errorCount={}); keep nextIndex ({}) unchanged and retry.",
                peer,
                null,
                1,
                33))
        .isEqualTo(FilterReply.NEUTRAL);
    now.addAndGet(MINUTE);
    assertThat(
            warn(
                ratis,
                "{}: Follower failed (request={}, errorCount={}); keep nextIndex ({}) unchanged and retry."
                    + " (Repeated 20 times in the last 5.000s)",
                peer,
                null,
                20,
                33))
        .isEqualTo(FilterReply.DENY);
    now.addAndGet(5 * MINUTE);
    assertThat(
            warn(
                ratis,
                "{}: Follower failed (request={}, errorCount={}); keep nextIndex ({}) unchanged and retry.",
                peer,
                null,
                90,
                33))
        .isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void anotherPeerOrAnotherMessageIsNews() {
    warn(
        ratis,
        "{}: Failed appendEntries: {}",
        "m1@group-1->m3-AppendLogResponseHandler",
        "UNAVAILABLE");
    assertThat(
            warn(
                ratis,
                "{}: Failed appendEntries: {}",
                "m1@group-1->m2-AppendLogResponseHandler",
                "UNAVAILABLE"))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            warn(
                ratis,
                "{}: Failed appendEntries: {}",
                "m1@group-1->m3-AppendLogResponseHandler",
                "PERMISSION_DENIED"))
        .isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void errorsAndOtherLibrariesAreNeverFiltered() {
    Logger corral = context.getLogger("io.corral.manager.dispatcher.Dispatcher");
    for (int i = 0; i < 3; i++) {
      assertThat(
              filter.decide(
                  null, ratis, Level.ERROR, "{}: state machine failed", new Object[] {"m1"}, null))
          .isEqualTo(FilterReply.NEUTRAL);
      assertThat(warn(corral, "could not mark node {} down", "w1")).isEqualTo(FilterReply.NEUTRAL);
    }
    // Logback first asks with no message whether the level is enabled: that must not count as the
    // first one.
    assertThat(filter.decide(null, ratis, Level.WARN, null, null, null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(warn(ratis, "{}: lost leadership", "m1")).isEqualTo(FilterReply.NEUTRAL);
  }
}
