package io.corral.cli.service.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConvergeWatcherTest {

  @Test
  void theVerifyWaitOfAFiveSecondMonitorReadsFiveSecondsAsDockers() {
    assertThat(ConvergeWatcher.waitSeconds(ConvergeWatcher.DEFAULT_MONITOR)).isEqualTo(5);
    assertThat(ConvergeWatcher.waitSeconds(Duration.ofMillis(4_200))).isEqualTo(5);
    assertThat(ConvergeWatcher.waitSeconds(Duration.ofMillis(600))).isEqualTo(1);
    assertThat(ConvergeWatcher.waitSeconds(Duration.ZERO)).isEqualTo(1);
  }
}
