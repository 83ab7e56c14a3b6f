package io.corral.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProtoTimeTest {

  @Test
  void timestampsRoundTripToTheNanosecond() {
    Instant at = Instant.parse("2026-11-23T02:56:05.612554574Z");
    Timestamp ts = ProtoTime.timestamp(at);
    assertThat(ts.getSeconds()).isEqualTo(at.getEpochSecond());
    assertThat(ts.getNanos()).isEqualTo(612_554_574);
    assertThat(ProtoTime.instant(ts)).isEqualTo(at);
  }

  @Test
  void anUnsetTimestampIsTheEpoch() {
    assertThat(ProtoTime.instant(Timestamp.getDefaultInstance())).isEqualTo(Instant.EPOCH);
  }

  @Test
  void instantsBeforeTheEpochKeepPositiveNanos() {
    Instant before = Instant.parse("1969-12-31T23:59:59.5Z");
    assertThat(ProtoTime.timestamp(before).getSeconds()).isEqualTo(-1);
    assertThat(ProtoTime.timestamp(before).getNanos()).isEqualTo(500_000_000);
    assertThat(ProtoTime.instant(ProtoTime.timestamp(before))).isEqualTo(before);
  }

  @Test
  void nowIsNow() {
    Instant before = Instant.now();
    Instant now = ProtoTime.instant(ProtoTime.now());
    assertThat(now).isBetween(before, Instant.now());
  }

  @Test
  void durationsRoundTrip() {
    Duration d = Duration.ofSeconds(90, 250);
    assertThat(ProtoTime.protoDuration(d).getSeconds()).isEqualTo(90);
    assertThat(ProtoTime.protoDuration(d).getNanos()).isEqualTo(250);
    assertThat(ProtoTime.duration(ProtoTime.protoDuration(d))).isEqualTo(d);
    assertThat(ProtoTime.duration(com.google.protobuf.Duration.getDefaultInstance()))
        .isEqualTo(Duration.ZERO);
  }
}
