package io.corral.cli.swarm;

import io.corral.api.JoinRequest;
import io.corral.api.JoinResponse;
import io.corral.api.LocalSwarmGrpc;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.node.NodeWords;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral swarm join --token T HOST:PORT}: joins this node to a cluster as a worker or a
 * manager.
 */
@Command(name = "join", description = "Join a swarm as a node and/or manager.")
public final class SwarmJoinCommand extends CorralCommand {

  @Option(names = "--token", required = true, description = "Token for entry into the swarm.")
  String token;

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
      names = "--availability",
      defaultValue = "active",
      description = "Availability of the node (\"active\", \"pause\", \"drain\").")
  String availability;

  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "Address of a manager.")
  String remote;

  @Override
  protected int run() {
    JoinRequest.Builder req =
        JoinRequest.newBuilder()
            .setRemoteAddr(remote)
            .setToken(token)
            .setAdvertiseAddr(advertiseAddr)
            .setListenAddr(listenAddr)
            .setAvailability(NodeWords.parseAvailability(availability));
    JoinResponse r =
        LocalSwarmGrpc.newBlockingStub(ctx().channel())
            .withDeadlineAfter(180, TimeUnit.SECONDS)
            .join(req.build());
    out()
        .println(
            r.getManager()
                ? "This node joined a swarm as a manager."
                : "This node joined a swarm as a worker.");
    return 0;
  }
}
