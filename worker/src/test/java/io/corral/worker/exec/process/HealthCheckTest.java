package io.corral.worker.exec.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.HealthConfig;
import io.corral.common.ProtoTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

  private static com.google.protobuf.Duration seconds(long s) {
    return ProtoTime.protoDuration(Duration.ofSeconds(s));
  }

  private static final HealthConfig IMAGE =
      HealthConfig.newBuilder()
          .addTest("CMD-SHELL")
          .addTest("test -f ready")
          .setInterval(seconds(1))
          .setRetries(2)
          .build();

  @Test
  void noCheckAnywhereOrNoneMeansNoCheck() {
    assertThat(HealthCheck.resolve(null, null)).isEmpty();
    assertThat(HealthCheck.resolve(HealthConfig.getDefaultInstance(), null)).isEmpty();
    assertThat(HealthCheck.resolve(HealthConfig.newBuilder().addTest("NONE").build(), IMAGE))
        .isEmpty();
    assertThat(HealthCheck.resolve(null, HealthConfig.newBuilder().addTest("NONE").build()))
        .isEmpty();
  }

  @Test
  void anEmptyTestInheritsTheImagesCheckFieldByField() {
    HealthCheck c =
        HealthCheck.resolve(HealthConfig.newBuilder().setTimeout(seconds(4)).build(), IMAGE)
            .orElseThrow();
    assertThat(c.command()).containsExactly("/bin/sh", "-c", "test -f ready");
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.retries()).isEqualTo(2);
    assertThat(c.startPeriod()).isZero();
    assertThat(c.startInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theSpecsCmdWinsAndUnsetFieldsTakeDockersDefaults() {
    HealthCheck c =
        HealthCheck.resolve(
                HealthConfig.newBuilder().addTest("CMD").addTest("curl").addTest("-f").build(),
                null)
            .orElseThrow();
    assertThat(c)
        .isEqualTo(
            new HealthCheck(
                List.of("curl", "-f"),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                3,
                Duration.ZERO,
                Duration.ofSeconds(30)));
  }

  @Test
  void aMalformedTestIsAnErrorNamingTheField() {
    assertThatThrownBy(
            () -> HealthCheck.resolve(HealthConfig.newBuilder().addTest("curl").build(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("healthcheck.test")
        .hasMessageContaining("CMD-SHELL");
    assertThatThrownBy(
            () -> HealthCheck.resolve(HealthConfig.newBuilder().addTest("CMD").build(), null))
        .hasMessageContaining("needs a command");
  }
}
