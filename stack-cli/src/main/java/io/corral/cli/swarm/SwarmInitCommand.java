package io.corral.cli.swarm;

import io.corral.api.InitRequest;
import io.corral.api.InitResponse;
import io.corral.api.LocalSwarmGrpc;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.format.GoDuration;
import io.corral.cli.node.NodeWords;
import io.corral.common.ProtoTime;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code corral swarm init}: makes this node the first manager of a new cluster. */
@Command(name = "init", description = "Initialize a swarm.")
public final class SwarmInitCommand extends CorralCommand {

  @Option(
      names = "--advertise-addr",
      defaultValue = "",
      description = "Advertised address (format: <ip>[:port]).")
  String advertiseAddr;

  @Option(
      names = "--listen-addr",
      defaultValue = "",
      description = "Listen address (format: <ip|interface>[:port]).")
  String listenAddr;

  @Option(
      names = "--cert-expiry",
      description = "Validity period for node certificates (default 2160h0m0s).")
  String certExpiry;

  @Option(
      names = "--dispatcher-heartbeat",
      description = "Dispatcher heartbeat period (default 5s).")
  String heartbeat;

  @Option(names = "--task-history-limit", description = "Task history retention limit (default 5).")
  Long taskHistoryLimit;

  @Option(
      names = "--availability",
      defaultValue = "active",
      description = "Availability of the node (\"active\", \"pause\", \"drain\").")
  String availability;

  @Option(
      names = "--default-addr-pool",
      paramLabel = "ipNetSlice",
      description = "Default address pool in CIDR format (default [10.0.0.0/8]).")
  java.util.List<String> addressPools = new java.util.ArrayList<>();

  @Option(
      names = "--default-addr-pool-mask-length",
      paramLabel = "uint32",
      description = "Default address pool subnet mask length (default 24).")
  String maskLength;

  @Override
  protected int run() {
    InitRequest.Builder req =
        InitRequest.newBuilder().setAdvertiseAddr(advertiseAddr).setListenAddr(listenAddr);
    if (certExpiry != null) {
      req.setCertExpiry(ProtoTime.protoDuration(GoDuration.parseFlag("--cert-expiry", certExpiry)));
    }
    if (heartbeat != null) {
      req.setDispatcherHeartbeat(
          ProtoTime.protoDuration(GoDuration.parseFlag("--dispatcher-heartbeat", heartbeat)));
    }
    req.setAvailability(NodeWords.parseAvailability(availability));
    // Docker's ipNetSlice flag takes comma-separated CIDRs as well as repeated flags.
    for (String pools : addressPools) {
      for (String pool : pools.split(",")) {
        if (!pool.isBlank()) {
          req.addDefaultAddressPool(pool.strip());
        }
      }
    }
    if (maskLength != null) {
      req.setSubnetSize(maskLength(maskLength));
    }
    if (taskHistoryLimit != null) {
      req.setTaskHistoryLimit(taskHistoryLimit).setHasTaskHistoryLimit(true);
    }
    InitResponse r =
        LocalSwarmGrpc.newBlockingStub(ctx().channel())
            .withDeadlineAfter(120, TimeUnit.SECONDS)
            .init(req.build());
    PrintWriter out = out();
    out.println("Swarm initialized: current node (" + r.getNodeId() + ") is now a manager.");
    out.println();
    out.println("To add a worker to this swarm, run the following command:");
    out.println();
    out.println("    corral swarm join --token " + r.getWorkerToken() + " " + r.getAdvertiseAddr());
    out.println();
    out.println(
        "To add a manager to this swarm, run 'corral swarm join-token manager' and follow the "
            + "instructions.");
    out.println();
    return 0;
  }

  /** A uint32 flag value, refused with strconv's words (its range is checked by the daemon). */
  static int maskLength(String text) {
    if (!text.matches("\\d{1,10}") || Long.parseLong(text) > 0xffffffffL) {
      throw new io.corral.cli.format.CliFailure(
          "invalid argument \""
              + text
              + "\" for \"--default-addr-pool-mask-length\" flag: strconv.ParseUint: parsing \""
              + text
              + "\": invalid syntax");
    }
    return (int) Long.parseLong(text);
  }
}
