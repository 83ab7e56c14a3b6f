package io.corral.testcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Shell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default corral command of a JUnit test cluster really starts corral from the test class path.
 */
class CorralCommandTest {

  @Test
  void theClasspathCommandRunsTheCorralCli() {
    CommandResult r =
        Shell.run(CorralCommand.fromClasspath().with(List.of("--help")), Duration.ofSeconds(60));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("Usage: corral");
  }

  @Test
  void aClientCallNamesTheNodesSocket() {
    CorralCommand c = CorralCommand.fromJar(Path.of("/x/corral.jar"));
    assertThat(c.client(Path.of("/r/m1/corral.sock"), List.of("node", "ls")))
        .containsSubsequence(
            "-jar", "/x/corral.jar", "--socket", "/r/m1/corral.sock", "node", "ls");
  }
}
