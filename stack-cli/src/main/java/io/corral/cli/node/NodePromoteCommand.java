package io.corral.cli.node;

import io.corral.api.NodeRole;
import picocli.CommandLine.Command;

/** {@code corral node promote NODE...}: sets the desired role of nodes to manager. */
@Command(name = "promote", description = "Promote one or more nodes to manager in the swarm.")
public final class NodePromoteCommand extends NodeRoleCommand {

  public NodePromoteCommand() {
    super(NodeRole.MANAGER, ref -> "Node " + ref + " promoted to a manager in the swarm.");
  }
}
