package io.corral.testcluster.net;

import java.util.List;

/** What a finished command printed and how it exited. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

  public CommandResult {
    command = List.copyOf(command);
  }

  public boolean ok() {
    return exitCode == 0;
  }

  /** The command as one line a person can paste into a shell (arguments are not quoted). */
  public String commandLine() {
    return String.join(" ", command);
  }

  /**
   * This result, or a {@link CommandFailedException} naming the command and its stderr when it
   * failed.
   */
  public CommandResult orThrow() {
    if (!ok()) {
      throw new CommandFailedException(this);
    }
    return this;
  }
}
