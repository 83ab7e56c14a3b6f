package io.corral.cli.swarm;

import io.corral.api.InitRequest;
import io.corral.api.InitResponse;
import io.corral.api.LocalSwarmGrpc;
import io.corral.api.NodeSpec;
import io.corral.cli.CliContext;
import io.corral.cli.DaemonCalls;
import io.corral.cli.Main;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code corral swarm init}: makes this node the first manager of a new cluster. */
@Command(name = "init", description = "Initialize a swarm.")
public final class SwarmInitCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--advertise-addr", defaultValue = "", description = "Advertised address (format: <ip>[:port]).")
  String advertiseAddr;

  @Option(names = "--listen-addr", defaultValue = "", description = "Listen address (format: <ip|interface>[:port]).")
  String listenAddr;

  @Option(names = "--cert-expiry", description = "Validity period for node certificates (default 2160h0m0s).")
  String certExpiry;

  @Option(names = "--dispatcher-heartbeat", description = "Dispatcher heartbeat period (default 5s).")
  String heartbeat;

  @Option(names = "--task-history-limit", description = "Task history retention limit (default 5).")
  Long taskHistoryLimit;

  @Option(names = "--availability", defaultValue = "active",
      description = "Availability of the node (\"active\", \"pause\", \"drain\").")
  String availability;

  @Override
  public Integer call() throws Exception {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    InitRequest.Builder req = InitRequest.newBuilder().setAdvertiseAddr(advertiseAddr).setListenAddr(listenAddr);
    try {
      if (certExpiry != null) {
        req.setCertExpiry(InitDurations.parse("--cert-expiry", certExpiry));
      }
      if (heartbeat != null) {
        req.setDispatcherHeartbeat(InitDurations.parse("--dispatcher-heartbeat", heartbeat));
      }
      req.setAvailability(Availability.parse(availability));
    } catch (IllegalArgumentException e) {
      err.println("invalid argument: " + e.getMessage());
      err.flush();
      return 1;
    }
    if (taskHistoryLimit != null) {
      req.setTaskHistoryLimit(taskHistoryLimit).setHasTaskHistoryLimit(true);
    }
    return DaemonCalls.run(ctx, err, () -> {
      InitResponse r = LocalSwarmGrpc.newBlockingStub(ctx.channel()).withDeadlineAfter(120, TimeUnit.SECONDS)
          .init(req.build());
      out.println("Swarm initialized: current node (" + r.getNodeId() + ") is now a manager.");
      out.println();
      out.println("To add a worker to this swarm, run the following command:");
      out.println();
      out.println("    corral swarm join --token " + r.getWorkerToken() + " " + r.getAdvertiseAddr());
      out.println();
      out.println("To add a manager to this swarm, run 'corral swarm join-token manager' and follow the "
          + "instructions.");
      out.println();
      out.flush();
      return 0;
    });
  }

  /** Go-style durations as docker takes them ("2160h0m0s", "5s", "1h30m"). */
  static final class InitDurations {
    private static final java.util.regex.Pattern PART =
        java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private InitDurations() {}

    static com.google.protobuf.Duration parse(String option, String text) {
      java.util.regex.Matcher m = PART.matcher(text);
      double seconds = 0;
      int end = 0;
      while (m.find() && m.start() == end) {
        double v = Double.parseDouble(m.group(1));
        seconds += switch (m.group(2)) {
          case "h" -> v * 3600;
          case "m" -> v * 60;
          case "s" -> v;
          default -> v / 1000;
        };
        end = m.end();
      }
      if (end == 0 || end != text.length()) {
        throw new IllegalArgumentException(option + ": invalid duration \"" + text + "\"; use e.g. 5s, 90m, 2160h");
      }
      long whole = (long) seconds;
      return com.google.protobuf.Duration.newBuilder().setSeconds(whole)
          .setNanos((int) Math.round((seconds - whole) * 1e9)).build();
    }
  }

  /** Docker's availability words. */
  static final class Availability {
    private Availability() {}

    static NodeSpec.Availability parse(String s) {
      return switch (s.toLowerCase()) {
        case "active" -> NodeSpec.Availability.ACTIVE;
        case "pause" -> NodeSpec.Availability.PAUSE;
        case "drain" -> NodeSpec.Availability.DRAIN;
        default -> throw new IllegalArgumentException("--availability: invalid value \"" + s
            + "\"; expected active, pause or drain");
      };
    }
  }
}
