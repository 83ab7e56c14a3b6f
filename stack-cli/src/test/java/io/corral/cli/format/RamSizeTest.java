package io.corral.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RamSizeTest {

  @Test
  void unitsAreBinaryAndCaseInsensitive() {
    assertThat(RamSize.parse("512M")).isEqualTo(512L << 20);
    assertThat(RamSize.parse("512m")).isEqualTo(512L << 20);
    assertThat(RamSize.parse("1G")).isEqualTo(1L << 30);
    assertThat(RamSize.parse("100k")).isEqualTo(102_400);
    assertThat(RamSize.parse("2t")).isEqualTo(2L << 40);
    assertThat(RamSize.parse("1p")).isEqualTo(1L << 50);
  }

  @Test
  void acceptsByteSuffixesSpacesFractionsAndPlainBytes() {
    assertThat(RamSize.parse("4096")).isEqualTo(4096);
    assertThat(RamSize.parse("64MiB")).isEqualTo(64L << 20);
    assertThat(RamSize.parse("64mb")).isEqualTo(64L << 20);
    assertThat(RamSize.parse("10 k")).isEqualTo(10_240);
    assertThat(RamSize.parse("1.5g")).isEqualTo(3L << 29);
    assertThat(RamSize.parse("0.5k")).isEqualTo(512);
  }

  @Test
  void refusesWhatGoUnitsRefuses() {
    for (String bad : new String[] {"", "M", "-1M", "1x", "1MX", "1.2.3k", "abc"}) {
      assertThatThrownBy(() -> RamSize.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("invalid size: '" + bad + "'");
    }
  }

  @Test
  void flagErrorsNameTheFlag() {
    assertThatThrownBy(() -> RamSize.parseFlag("--limit-memory", "lots"))
        .isInstanceOf(CliFailure.class)
        .hasMessage("invalid argument \"lots\" for \"--limit-memory\" flag: invalid size: 'lots'");
  }
}
