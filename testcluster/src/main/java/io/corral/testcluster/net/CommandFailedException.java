package io.corral.testcluster.net;

/**
 * A command exited non-zero or timed out; the message quotes the command, its exit code and its
 * stderr.
 */
public final class CommandFailedException extends RuntimeException {

  private final transient CommandResult result;

  public CommandFailedException(CommandResult result) {
    super(
        "command failed (exit "
            + result.exitCode()
            + "): "
            + result.commandLine()
            + describe(result));
    this.result = result;
  }

  public CommandFailedException(String message, CommandResult result) {
    super(message + ": " + result.commandLine() + describe(result));
    this.result = result;
  }

  private static String describe(CommandResult r) {
    String err = r.stderr().strip();
    String out = r.stdout().strip();
    return (err.isEmpty() ? "" : "\nstderr: " + err) + (out.isEmpty() ? "" : "\nstdout: " + out);
  }

  public CommandResult result() {
    return result;
  }
}
