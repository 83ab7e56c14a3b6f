package io.corral.testcluster.bench;

import io.corral.testcluster.net.CommandResult;

/**
 * A system under test refused a command or could not be asked; the benchmark of that system stops.
 */
final class TargetFailure extends RuntimeException {

  TargetFailure(String message) {
    super(message);
  }

  TargetFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failed CLI call, with what it printed on stderr (or stdout when stderr is empty). */
  static TargetFailure of(String what, CommandResult result) {
    String said = result.stderr().isBlank() ? result.stdout().strip() : result.stderr().strip();
    return new TargetFailure(what + " failed (exit " + result.exitCode() + "): " + said);
  }
}
