package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  /** What one run of the CLI (without a daemon) printed. */
  private record Run(int code, String out, String err) {}

  private static Run execute(String... args) {
    CommandLine cmd = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private String run(String... args) {
    Run r = execute(args);
    assertThat(r.code()).isZero();
    return r.out();
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).contains("Usage: corral").contains("version");
  }

  @Test
  void serviceGroupListsItsCommandsAndCreateDocumentsItsFlags() {
    assertThat(run("service")).contains("create", "inspect", "logs", "ls", "ps", "rm", "scale");
    assertThat(run("service", "create", "--help"))
        .contains(
            "IMAGE",
            "--replicas",
            "--limit-memory",
            "--restart-condition",
            "--entrypoint",
            "--detach",
            "--converge-timeout");
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

  @Test
  void everyCommandGroupPrintsItsHelpForHelpAndH() {
    // Once refused with "Unknown option: '--help'".
    for (String group : new String[] {"swarm", "node", "service"}) {
      for (String flag : new String[] {"--help", "-h"}) {
        Run r = execute(group, flag);
        assertThat(r.err()).as("%s %s", group, flag).isEmpty();
        assertThat(r.code()).as("%s %s", group, flag).isZero();
        assertThat(r.out()).as("%s %s", group, flag).startsWith("Usage: corral " + group);
      }
    }
    assertThat(run("swarm", "--help")).contains("init", "join", "join-token", "leave", "update");
  }

  @Test
  void everyCommandTakesH() {
    CommandLine root = Main.commandLine();
    for (CommandLine group : root.getSubcommands().values()) {
      for (CommandLine cmd : group.getSubcommands().values()) {
        String[] path = {group.getCommandName(), cmd.getCommandName(), "-h"};
        Run r = execute(path);
        assertThat(r.code()).as(String.join(" ", path)).isZero();
        assertThat(r.out())
            .as(String.join(" ", path))
            .startsWith("Usage: corral " + path[0] + " " + path[1]);
      }
    }
    assertThat(execute("version", "-h").out()).startsWith("Usage: corral version");
    assertThat(execute("help", "node").out()).startsWith("Usage: corral node");
  }

  @Test
  void anUnknownCommandGetsDockersHint() {
    Run top = execute("frobnicate");
    assertThat(top.code()).isEqualTo(1);
    assertThat(top.out()).isEmpty();
    assertThat(top.err())
        .isEqualTo("corral: 'frobnicate' is not a corral command.\nSee 'corral --help'\n");

    Run sub = execute("service", "frobnicate", "web");
    assertThat(sub.code()).isEqualTo(1);
    assertThat(sub.err())
        .isEqualTo(
            "corral: 'service frobnicate' is not a corral command.\n"
                + "See 'corral service --help'\n");
  }

  @Test
  void aBadOptionNamesItAndWhereTheUsageIs() {
    Run r = execute("node", "ls", "--frobnicate");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("Unknown option: '--frobnicate'\nSee 'corral node ls --help'.\n");
  }
}
