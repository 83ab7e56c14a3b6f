package io.corral.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EllipsisTest {

  @Test
  void cutsToTheWidthEndingInAnEllipsis() {
    assertThat(Ellipsis.of("short", 30)).isEqualTo("short");
    assertThat(Ellipsis.of("abcdef", 6)).isEqualTo("abcdef");
    assertThat(Ellipsis.of("abcdefg", 6)).isEqualTo("abcde…");
    assertThat(Ellipsis.of("abc", 1)).isEqualTo("…");
    assertThat(Ellipsis.of("abc", 0)).isEmpty();
  }

  @Test
  void idsAreCutToTwelve() {
    assertThat(Ellipsis.id("4kq8wz1x2c3v4b5n6m7l8k9j0")).isEqualTo("4kq8wz1x2c3v");
    assertThat(Ellipsis.id("short")).isEqualTo("short");
  }
}
