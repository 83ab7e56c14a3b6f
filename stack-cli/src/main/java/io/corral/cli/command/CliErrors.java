package io.corral.cli.command;

import io.corral.cli.Main;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the CLI reports failures, in docker's words, for every command at once: a command's {@link
 * CliFailure} or daemon error is one stderr message with exit code 1; an unknown command is
 * docker's "is not a command" hint; a bad option or argument names the problem and where to read
 * the usage.
 */
public final class CliErrors
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

  /** Installs both handlers on {@code root} (picocli hands them down to every subcommand). */
  public static CommandLine install(CommandLine root) {
    CliErrors handler = new CliErrors();
    return root.setExecutionExceptionHandler(handler).setParameterExceptionHandler(handler);
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed)
      throws Exception {
    String message;
    if (ex instanceof CliFailure) {
      message = ex.getMessage();
    } else if (ex instanceof StatusRuntimeException e) {
      message = DaemonCall.message(Main.context(cmd.getCommandSpec()), e);
    } else {
      throw ex;
    }
    // What the command printed before it failed comes first, as with docker's unbuffered output.
    cmd.getOut().flush();
    PrintWriter err = cmd.getErr();
    err.println(message);
    err.flush();
    return 1;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String path = cmd.getCommandSpec().qualifiedName();
    String root = cmd.getCommandSpec().root().name();
    if (unknownCommand(ex)) {
      String word = ((UnmatchedArgumentException) ex).getUnmatched().get(0);
      // docker: 'foo' is not a docker command.\nSee 'docker --help'
      String typed =
          cmd.getCommandSpec().parent() == null
              ? word
              : path.substring(root.length() + 1) + " " + word;
      err.println(root + ": '" + typed + "' is not a " + root + " command.");
      err.println("See '" + path + " --help'");
      err.flush();
      return 1;
    }
    err.println(ex.getMessage());
    err.println("See '" + path + " --help'.");
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * An argument where a group expects a subcommand name (not an unknown option, not a surplus
   * argument).
   */
  private static boolean unknownCommand(ParameterException ex) {
    if (!(ex instanceof UnmatchedArgumentException u)
        || ex.getCommandLine().getSubcommands().isEmpty()) {
      return false;
    }
    List<String> unmatched = u.getUnmatched();
    return !unmatched.isEmpty() && !unmatched.get(0).startsWith("-");
  }
}
