package io.corral.cli.node;

import io.corral.api.NodeRole;
import io.corral.cli.command.CorralCommand;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Parameters;

/** {@code node promote|demote}: sets the desired role of nodes, saying so in docker's words. */
abstract class NodeRoleCommand extends CorralCommand {

  private final NodeRole role;
  private final Function<String, String> doneLine;

  @Parameters(
      arity = "1..*",
      paramLabel = "NODE",
      description = "Node id, id prefix, hostname, or \"self\".")
  List<String> refs;

  NodeRoleCommand(NodeRole role, Function<String, String> doneLine) {
    this.role = role;
    this.doneLine = doneLine;
  }

  @Override
  protected int run() {
    return new NodeUpdates(ctx()).setRole(refs, role, out(), doneLine);
  }
}
