package io.corral.cli.node;

import io.corral.cli.command.CommandGroup;
import picocli.CommandLine.Command;

/** {@code corral node}: manage the nodes of the swarm (like {@code docker node}). */
@Command(
    name = "node",
    description = "Manage Swarm nodes.",
    subcommands = {
      NodeListCommand.class,
      NodeInspectCommand.class,
      NodePromoteCommand.class,
      NodeDemoteCommand.class,
      NodeUpdateCommand.class,
      NodeRemoveCommand.class,
      NodePsCommand.class
    })
public final class NodeCommand extends CommandGroup {}
