package io.corral.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NanoCpusTest {

  @Test
  void decimalCpusBecomeNanoCpus() {
    assertThat(NanoCpus.parse("1")).isEqualTo(1_000_000_000L);
    assertThat(NanoCpus.parse("0.5")).isEqualTo(500_000_000L);
    assertThat(NanoCpus.parse("2.25")).isEqualTo(2_250_000_000L);
    assertThat(NanoCpus.parse("0.000000001")).isEqualTo(1);
    assertThat(NanoCpus.parse("0")).isZero();
  }

  @Test
  void refusesTooPreciseNegativeAndNonNumbers() {
    assertThatThrownBy(() -> NanoCpus.parse("0.0000000001")).hasMessage("value is too precise");
    assertThatThrownBy(() -> NanoCpus.parse("-1")).hasMessage("CPU amount must not be negative");
    assertThatThrownBy(() -> NanoCpus.parse("two"))
        .hasMessage("failed to parse two as a rational number");
    assertThatThrownBy(() -> NanoCpus.parseFlag("--reserve-cpu", "x"))
        .isInstanceOf(CliFailure.class)
        .hasMessage(
            "invalid argument \"x\" for \"--reserve-cpu\" flag: failed to parse x as a rational number");
  }

  @Test
  void formatsLikeGoFloats() {
    assertThat(NanoCpus.format(500_000_000L)).isEqualTo("0.5");
    assertThat(NanoCpus.format(2_000_000_000L)).isEqualTo("2");
    assertThat(NanoCpus.format(1_250_000_000L)).isEqualTo("1.25");
  }
}
