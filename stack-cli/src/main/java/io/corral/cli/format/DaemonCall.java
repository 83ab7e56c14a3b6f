package io.corral.cli.format;

import io.corral.api.ControlGrpc;
import io.corral.api.LocalSwarmGrpc;
import io.corral.cli.CliContext;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * How a command talks to the daemon: stubs with a deadline, and failures reported like the docker CLI
 * ({@code Error response from daemon: …}, or a hint when the socket does not answer) with exit code 1.
 */
public final class DaemonCall {

  /** Long enough for a Raft write on a loaded cluster, short enough that a hung daemon does not hang scripts. */
  public static final long DEADLINE_SECONDS = 30;

  private DaemonCall() {}

  /** A Control API stub whose deadline starts now. */
  public static ControlGrpc.ControlBlockingStub control(CliContext ctx) {
    return ControlGrpc.newBlockingStub(ctx.channel()).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** A LocalSwarm stub whose deadline starts now. */
  public static LocalSwarmGrpc.LocalSwarmBlockingStub local(CliContext ctx) {
    return LocalSwarmGrpc.newBlockingStub(ctx.channel()).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Runs a command body; a {@link CliFailure} or a gRPC error is printed on {@code err} and becomes exit code 1.
   */
  public static int run(CliContext ctx, PrintWriter err, Callable<Integer> body) {
    try {
      return body.call();
    } catch (CliFailure e) {
      err.println(e.getMessage());
      return 1;
    } catch (StatusRuntimeException e) {
      err.println(message(ctx, e));
      return 1;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      err.flush();
    }
  }

  /** The docker-style line for a failed call. */
  public static String message(CliContext ctx, StatusRuntimeException e) {
    Status status = e.getStatus();
    if (unreachable(status)) {
      return "Cannot connect to the Corral daemon at unix://" + ctx.socketPath()
          + ". Is the corral daemon running?";
    }
    String description = status.getDescription();
    return "Error response from daemon: " + (description == null ? status.getCode().toString() : description);
  }

  /** The daemon's socket is missing or refuses connections (as opposed to the daemon answering UNAVAILABLE). */
  private static boolean unreachable(Status status) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    // Netty reports a failed connect as "io exception" with the socket error as its cause.
    String d = status.getDescription();
    return (d != null && d.startsWith("io exception")) || status.getCause() instanceof java.io.IOException
        || (status.getCause() != null && status.getCause().getCause() instanceof java.io.IOException);
  }
}
