package io.corral.worker.exec.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellWordsTest {

  @Test
  void blanksSeparateWordsAndQuotesKeepThem() {
    assertThat(ShellWords.split("  /bin/sh -c \"echo hi; sleep 5\"  "))
        .containsExactly("/bin/sh", "-c", "echo hi; sleep 5");
    assertThat(ShellWords.split("sh -c 'trap \"exit 0\" TERM; echo $HOME'"))
        .containsExactly("sh", "-c", "trap \"exit 0\" TERM; echo $HOME");
  }

  @Test
  void backslashesEscapeOutsideAndSomeCharactersInsideDoubleQuotes() {
    assertThat(ShellWords.split("a\\ b \"c\\\"d\\$e\\x\" 'f\\g'"))
        .containsExactly("a b", "c\"d$e\\x", "f\\g");
  }

  @Test
  void adjacentQuotedPartsFormOneWordAndEmptyQuotesAreAWord() {
    assertThat(ShellWords.split("ab'c d'\"e\" '' x")).containsExactly("abc de", "", "x");
    assertThat(ShellWords.split("")).isEmpty();
    assertThat(ShellWords.split(" \t ")).isEmpty();
  }

  @Test
  void anUnclosedQuoteIsAnError() {
    assertThatThrownBy(() -> ShellWords.split("sh -c 'echo"))
        .hasMessageContaining("unclosed single quote");
    assertThatThrownBy(() -> ShellWords.split("sh -c \"echo"))
        .hasMessageContaining("unclosed double quote");
  }
}
