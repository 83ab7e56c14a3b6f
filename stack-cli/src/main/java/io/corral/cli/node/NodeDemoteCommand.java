package io.corral.cli.node;

import io.corral.api.NodeRole;
import picocli.CommandLine.Command;

/** {@code corral node demote NODE...}: sets the desired role of managers to worker. */
@Command(name = "demote", description = "Demote one or more nodes from manager in the swarm.")
public final class NodeDemoteCommand extends NodeRoleCommand {

  public NodeDemoteCommand() {
    super(NodeRole.WORKER, ref -> "Manager " + ref + " demoted in the swarm.");
  }
}
