package io.corral.cli.network;

import io.corral.cli.command.CommandGroup;
import picocli.CommandLine.Command;

/**
 * {@code corral network}: manage the overlay networks of the swarm (like {@code docker network}).
 */
@Command(
    name = "network",
    description = "Manage networks.",
    subcommands = {
      NetworkCreateCommand.class,
      NetworkListCommand.class,
      NetworkInspectCommand.class,
      NetworkRemoveCommand.class,
      NetworkPruneCommand.class
    })
public final class NetworkCommand extends CommandGroup {}
