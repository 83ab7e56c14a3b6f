package io.corral.testcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsTest {

  private static Stats millis(long... values) {
    Stats s = new Stats();
    for (long v : values) {
      s.add(v * 1_000_000);
    }
    return s;
  }

  @Test
  void theMedianOfAnOddCountIsTheMiddleValue() {
    assertThat(millis(30, 10, 20).medianMillis()).isEqualTo(20.0);
    assertThat(millis(7).medianMillis()).isEqualTo(7.0);
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
    assertThat(millis(40, 10, 30, 20).medianMillis()).isEqualTo(25.0);
    assertThat(millis(1, 2).medianMillis()).isEqualTo(1.5);
  }

  @Test
  void thereIsNoMedianOfNothing() {
    assertThatThrownBy(() -> new Stats().medianMillis()).isInstanceOf(IllegalStateException.class);
  }
}
