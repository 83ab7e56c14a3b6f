package io.corral.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Runs one call to the daemon and reports its failure the way the docker CLI does. */
public final class DaemonCalls {

  private DaemonCalls() {}

  /** Runs {@code call}; on a gRPC error prints "Error response from daemon: …" and returns exit code 1. */
  public static int run(CliContext context, PrintWriter err, Callable<Integer> call) throws Exception {
    try {
      return call.call();
    } catch (StatusRuntimeException e) {
      err.println(message(context, e));
      err.flush();
      return 1;
    }
  }

  static String message(CliContext context, StatusRuntimeException e) {
    if (e.getStatus().getCode() == Status.Code.UNAVAILABLE && e.getStatus().getDescription() != null
        && e.getStatus().getDescription().startsWith("io exception")) {
      return "Cannot connect to the Corral daemon at unix://" + context.socketPath()
          + ". Is the corral daemon running?";
    }
    String d = e.getStatus().getDescription();
    return "Error response from daemon: " + (d == null ? e.getStatus().getCode().toString() : d);
  }
}
