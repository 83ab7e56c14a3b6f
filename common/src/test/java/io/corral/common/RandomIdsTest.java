package io.corral.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomIdsTest {

  @Test
  void idsAre25LowerCaseBase36Characters() {
    assertThat(RandomIds.newId()).hasSize(RandomIds.ID_LENGTH).matches("[0-9a-z]{25}");
  }

  @Test
  void base36HasTheAskedLength() {
    assertThat(RandomIds.base36(0)).isEmpty();
    assertThat(RandomIds.base36(64)).matches("[0-9a-z]{64}");
  }

  @Test
  void idsDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(RandomIds.newId())).isTrue();
    }
  }

  @Test
  void everyCharacterTurnsUp() {
    // An alphabet slip (e.g. modulo 32) would leave some characters out.
    Set<Character> chars = new HashSet<>();
    RandomIds.base36(10_000).chars().forEach(c -> chars.add((char) c));
    assertThat(chars).hasSize(36);
  }
}
