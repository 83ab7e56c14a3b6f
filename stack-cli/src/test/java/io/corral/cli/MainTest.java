package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  private String run(String... args) {
    CommandLine cmd = Main.commandLine();
    StringWriter out = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    assertThat(cmd.execute(args)).isZero();
    return out.toString();
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).contains("Usage: corral").contains("version");
  }

  @Test
  void serviceGroupListsItsCommandsAndCreateDocumentsItsFlags() {
    assertThat(run("service")).contains("create", "inspect", "logs", "ls", "ps", "rm", "scale");
    assertThat(run("service", "create", "--help")).contains("IMAGE", "--replicas", "--limit-memory",
        "--restart-condition", "--entrypoint", "--detach", "--converge-timeout");
    assertThat(run("node", "ps", "--help")).contains("NODE", "--no-trunc");
  }

  @Test
  void versionPrintsClientInformation() {
    assertThat(run("version")).contains("Client:").contains("Java version:");
  }

  @Test
  void anUnknownCommandFailsWithUsage() {
    CommandLine cmd = Main.commandLine();
    StringWriter err = new StringWriter();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("frobnicate")).isNotZero();
    assertThat(err.toString()).contains("frobnicate");
  }
}
