package io.corral.cli.format;

import io.corral.api.ControlGrpc;
import io.corral.api.LocalSwarmGrpc;
import io.corral.cli.CliContext;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a command talks to the daemon: stubs with a deadline, and failures reported like the docker
 * CLI ({@code Error response from daemon: …}, or a hint when the socket does not answer) with exit
 * code 1.
 */
public final class DaemonCall {

  /**
   * Long enough for a Raft write on a loaded cluster, short enough that a hung daemon does not hang
   * scripts.
   */
  public static final long DEADLINE_SECONDS = 30;

  private DaemonCall() {}

  /** A Control API stub whose deadline starts now. */
  public static ControlGrpc.ControlBlockingStub control(CliContext ctx) {
    return ControlGrpc.newBlockingStub(ctx.channel())
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** A LocalSwarm stub whose deadline starts now. */
  public static LocalSwarmGrpc.LocalSwarmBlockingStub local(CliContext ctx) {
    return LocalSwarmGrpc.newBlockingStub(ctx.channel())
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Runs a command body; a {@link CliFailure} or a gRPC error is printed on {@code err} and becomes
   * exit code 1. Commands extending {@code command.CorralCommand} need not: {@code
   * command.CliErrors} does it for them all.
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
    if (localDaemonUnreachable(status)) {
      return "Cannot connect to the Corral daemon at unix://"
          + ctx.socketPath()
          + ". Is the corral daemon running?";
    }
    String description = status.getDescription();
    if (description == null) {
      return "Error response from daemon: " + status.getCode();
    }
    Matcher m = MANAGER_UNREACHABLE.matcher(description);
    if (status.getCode() == Status.Code.UNAVAILABLE && m.matches()) {
      return "Error response from daemon: " + managerUnreachable(m.group(1), m.group(2));
    }
    return "Error response from daemon: " + description;
  }

  /**
   * A connection failure the daemon met talking to a manager, as it relays it (grpc-java's words,
   * unedited).
   */
  private static final Pattern MANAGER_UNREACHABLE =
      Pattern.compile(
          "(?:cannot reach the manager at (\\S+): )?io exception(?:: (.*))?", Pattern.DOTALL);

  /**
   * Netty's socket error: "finishConnect(..) failed: Connection refused: /10.0.0.1:2377", "null:
   * /…".
   */
  private static final Pattern SOCKET_ERROR =
      Pattern.compile(
          "(?:finishConnect\\(\\.\\.\\) failed: )?(.*?)(?::? ?/?([\\w.:\\[\\]-]+:\\d+))?");

  /**
   * Docker's way with connection errors: say which address did not answer and why, and what to
   * check, instead of grpc's "io exception: null: /10.77.0.99:2377".
   */
  static String managerUnreachable(String address, String socketError) {
    String reason = "no connection could be made";
    if (socketError != null) {
      Matcher m = SOCKET_ERROR.matcher(socketError.strip());
      if (m.matches()) {
        if (address == null) {
          address = m.group(2);
        }
        String why = m.group(1).strip();
        if (!why.isEmpty() && !why.equals("null")) {
          reason = why.toLowerCase(Locale.ROOT);
        }
      }
    }
    return "cannot connect to the manager"
        + (address == null ? "" : " at " + address)
        + ": "
        + reason
        + ". Is the address right, is the corral daemon there running as a manager, and can this node reach "
        + "that port (2377/tcp unless changed)?";
  }

  /**
   * This CLI could not reach its daemon's socket (missing, or nothing listening): grpc fails the
   * call here with the socket error as its cause. The same words relayed by the daemon carry no
   * cause: they are about a manager.
   */
  private static boolean localDaemonUnreachable(Status status) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }
}
