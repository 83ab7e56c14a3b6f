package io.corral.cli.format;

/**
 * A failure reported as one plain stderr message with exit code 1, like the docker CLI's own
 * errors.
 */
public final class CliFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CliFailure(String message) {
    super(message);
  }
}
