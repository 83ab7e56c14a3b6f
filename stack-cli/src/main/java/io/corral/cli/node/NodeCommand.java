package io.corral.cli.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code corral node}: manage the nodes of the swarm (like {@code docker node}). */
@Command(name = "node", description = "Manage Swarm nodes.",
    subcommands = {NodeListCommand.class, NodeInspectCommand.class, NodePromoteCommand.class,
        NodeDemoteCommand.class, NodeUpdateCommand.class, NodeRemoveCommand.class, NodePsCommand.class})
public final class NodeCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // `corral node` alone prints its usage, like `docker node`.
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
