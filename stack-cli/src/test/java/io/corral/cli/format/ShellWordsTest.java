package io.corral.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellWordsTest {

  @Test
  void splitsOnBlanks() {
    assertThat(ShellWords.split("  /bin/sh   -c\techo ")).containsExactly("/bin/sh", "-c", "echo");
    assertThat(ShellWords.split("")).isEmpty();
  }

  @Test
  void quotesAndEscapesKeepBlanks() {
    assertThat(ShellWords.split("sh -c 'echo $HOME; exit 1'"))
        .containsExactly("sh", "-c", "echo $HOME; exit 1");
    assertThat(ShellWords.split("echo \"a \\\"b\\\" c\" d\\ e"))
        .containsExactly("echo", "a \"b\" c", "d e");
    assertThat(ShellWords.split("a'b'\"c\"")).containsExactly("abc");
    assertThat(ShellWords.split("x ''")).containsExactly("x", "");
  }

  @Test
  void hashStartsACommentOnlyAtAWordStart() {
    assertThat(ShellWords.split("run a#b # the rest")).containsExactly("run", "a#b");
  }

  @Test
  void refusesUnclosedQuotesAndTrailingEscapes() {
    assertThatThrownBy(() -> ShellWords.split("sh -c 'echo")).hasMessageContaining("closing quote");
    assertThatThrownBy(() -> ShellWords.split("sh \"x")).hasMessageContaining("closing quote");
    assertThatThrownBy(() -> ShellWords.split("sh \\")).hasMessageContaining("escape");
  }
}
