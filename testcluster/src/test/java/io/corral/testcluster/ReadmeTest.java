package io.corral.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's commands are the ones a new user on a root Debian machine can paste, without sudo.
 */
class ReadmeTest {

  /** The repository root: Maven runs the tests of a module in its own directory. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static List<String> codeBlocks() throws IOException {
    List<String> blocks = new ArrayList<>();
    StringBuilder block = null;
    for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
      if (line.startsWith("```")) {
        if (block != null) {
          blocks.add(block.toString().strip());
        }
        block = block == null ? new StringBuilder() : null;
      } else if (block != null) {
        block.append(line).append('\n');
      }
    }
    return blocks;
  }

  @Test
  void theFirstTwoCommandsBuildAndRunCorralThenRunTheTestSuiteAsCiDoes() throws IOException {
    List<String> commands = codeBlocks().stream().filter(b -> b.startsWith("./mvnw")).toList();

    assertThat(commands).hasSizeGreaterThanOrEqualTo(2);
    assertThat(commands.get(0))
        .startsWith("./mvnw -B -ntp -DskipTests package && bin/testcluster up ");
    assertThat(commands.get(1)).isEqualTo("./mvnw -B -ntp verify");
    List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run"));
    assertThat(ci.get(ci.size() - 1)).isEqualTo(commands.get(1));
  }

  @Test
  void noCommandNeedsSudoWhichARootDebianMachineOftenLacks() throws IOException {
    assertThat(codeBlocks()).noneMatch(b -> b.matches("(?s).*\\bsudo\\b.*"));
    assertThat(Files.readString(ROOT.resolve("README.md"))).doesNotContain("`sudo bin/");
    for (String script :
        List.of("bin/testcluster", "bin/corral-bench", "bin/ci-docker-setup", "bin/corral")) {
      assertThat(Files.readString(ROOT.resolve(script)))
          .as(script)
          .doesNotContainPattern("\\bsudo\\b");
    }
  }
}
