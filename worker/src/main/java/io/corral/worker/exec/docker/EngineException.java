package io.corral.worker.exec.docker;

/**
 * An error answered by the Docker daemon (HTTP status and its message), or a failure to reach it.
 */
public final class EngineException extends RuntimeException {
  private final int status;

  EngineException(int status, String message) {
    super(message);
    this.status = status;
  }

  EngineException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status the daemon answered, or 0 when it was not reached or did not answer. */
  public int status() {
    return status;
  }

  public boolean notFound() {
    return status == 404;
  }

  public boolean conflict() {
    return status == 409;
  }
}
