package io.corral.cli;

import io.corral.cli.command.CommandGroup;
import io.corral.cli.swarm.SwarmInitCommand;
import io.corral.cli.swarm.SwarmJoinCommand;
import io.corral.cli.swarm.SwarmJoinTokenCommand;
import io.corral.cli.swarm.SwarmLeaveCommand;
import io.corral.cli.swarm.SwarmUpdateCommand;
import picocli.CommandLine.Command;

/** {@code corral swarm …}: manage the swarm. */
@Command(
    name = "swarm",
    description = "Manage Swarm.",
    subcommands = {
      SwarmInitCommand.class,
      SwarmJoinCommand.class,
      SwarmJoinTokenCommand.class,
      SwarmLeaveCommand.class,
      SwarmUpdateCommand.class
    })
public final class SwarmCommands extends CommandGroup {}
