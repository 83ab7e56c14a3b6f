package io.corral.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {

  @Test
  void wordsLikeGoUnits() {
    assertThat(HumanDuration.of(Duration.ofMillis(300))).isEqualTo("Less than a second");
    assertThat(HumanDuration.of(Duration.ofSeconds(1))).isEqualTo("1 second");
    assertThat(HumanDuration.of(Duration.ofSeconds(59))).isEqualTo("59 seconds");
    assertThat(HumanDuration.of(Duration.ofSeconds(119))).isEqualTo("About a minute");
    assertThat(HumanDuration.of(Duration.ofMinutes(2))).isEqualTo("2 minutes");
    assertThat(HumanDuration.of(Duration.ofMinutes(59))).isEqualTo("59 minutes");
    assertThat(HumanDuration.of(Duration.ofMinutes(89))).isEqualTo("About an hour");
    assertThat(HumanDuration.of(Duration.ofMinutes(90))).isEqualTo("2 hours");
    assertThat(HumanDuration.of(Duration.ofHours(47))).isEqualTo("47 hours");
    assertThat(HumanDuration.of(Duration.ofDays(3))).isEqualTo("3 days");
    assertThat(HumanDuration.of(Duration.ofDays(15))).isEqualTo("2 weeks");
    assertThat(HumanDuration.of(Duration.ofDays(90))).isEqualTo("3 months");
    assertThat(HumanDuration.of(Duration.ofDays(800))).isEqualTo("2 years");
  }

  @Test
  void agoIsLowerCasedAndNeverNegative() {
    assertThat(HumanDuration.ago(Duration.ofSeconds(5))).isEqualTo("5 seconds ago");
    assertThat(HumanDuration.ago(Duration.ofSeconds(70))).isEqualTo("about a minute ago");
    assertThat(HumanDuration.ago(Duration.ofSeconds(-3))).isEqualTo("less than a second ago");
  }
}
