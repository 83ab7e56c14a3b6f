package io.corral.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code corral} command: the entry point of the CLI and of the daemon. */
@Command(name = "corral",
    description = "Corral: a Swarm-style container cluster manager.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    subcommands = {VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree, ready to execute; tests drive it without exiting the JVM. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public void run() {
    // `corral` alone prints usage, like `docker`.
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
