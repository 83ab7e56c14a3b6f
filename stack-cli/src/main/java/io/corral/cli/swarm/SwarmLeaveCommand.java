package io.corral.cli.swarm;

import io.corral.api.LeaveRequest;
import io.corral.api.LocalSwarmGrpc;
import io.corral.cli.command.CorralCommand;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code corral swarm leave [--force]}: this node leaves its cluster and forgets its identity. */
@Command(name = "leave", description = "Leave the swarm.")
public final class SwarmLeaveCommand extends CorralCommand {

  @Option(
      names = {"-f", "--force"},
      description = "Force this node to leave the swarm, ignoring warnings.")
  boolean force;

  @Override
  protected int run() {
    LocalSwarmGrpc.newBlockingStub(ctx().channel())
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .leave(LeaveRequest.newBuilder().setForce(force).build());
    out().println("Node left the swarm.");
    return 0;
  }
}
