package io.corral.cli.command;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code corral help [COMMAND...]}: the usage of the command named (picocli's own help command
 * declares a {@code -h} of its own, which clashes with the {@code -h} every corral command
 * inherits).
 */
@Command(
    name = "help",
    helpCommand = true,
    description = "Display help information about the specified command.")
public final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {

  @Parameters(
      paramLabel = "COMMAND",
      arity = "0..*",
      description = "The command to display the usage of.")
  String[] commands = {};

  private CommandLine self;
  private PrintWriter out;

  @Override
  public void init(
      CommandLine helpCommandLine,
      CommandLine.Help.ColorScheme colorScheme,
      PrintWriter outWriter,
      PrintWriter errWriter) {
    this.self = helpCommandLine;
    this.out = outWriter;
  }

  @Override
  public void run() {
    CommandLine target = self.getParent();
    for (String name : commands) {
      CommandLine sub = target.getSubcommands().get(name);
      if (sub == null) {
        throw new CommandLine.ParameterException(
            self, "unknown help topic: " + String.join(" ", commands));
      }
      target = sub;
    }
    target.usage(out);
    out.flush();
  }
}
