package io.corral.worker.agent;

import io.grpc.Status;

/**
 * A gRPC status in one line for the log: code, description and the cause's message. {@link
 * Status#toString} puts the cause's whole stack trace in, which made every routine disconnect (a
 * manager restarting, a leader change) a page of log.
 */
public final class StatusText {

  private StatusText() {}

  /** {@code UNAVAILABLE: io exception (Connection refused: /10.77.0.13:2377)}. */
  public static String brief(Status status) {
    StringBuilder sb = new StringBuilder(status.getCode().name());
    if (status.getDescription() != null) {
      sb.append(": ").append(status.getDescription());
    }
    Throwable cause = status.getCause();
    while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause != null) {
      String message =
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      if (status.getDescription() == null || !status.getDescription().contains(message)) {
        sb.append(" (").append(message).append(')');
      }
    }
    return sb.toString();
  }
}
