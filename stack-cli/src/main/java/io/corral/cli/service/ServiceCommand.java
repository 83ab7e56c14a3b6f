package io.corral.cli.service;

import io.corral.cli.command.CommandGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code corral service}: manage the services of the swarm (like {@code docker service}). */
@Command(
    name = "service",
    description = "Manage Swarm services.",
    subcommands = {
      ServiceCreateCommand.class,
      ServiceInspectCommand.class,
      ServiceLogsCommand.class,
      ServiceListCommand.class,
      ServicePromoteCommand.class,
      ServicePsCommand.class,
      ServiceRemoveCommand.class,
      ServiceRollbackCommand.class,
      ServiceScaleCommand.class,
      ServiceUpdateCommand.class
    })
public final class ServiceCommand extends CommandGroup {

  /**
   * Parser settings the annotations cannot express: {@code service create IMAGE COMMAND ARG...}
   * stops reading options at IMAGE, so the command's own flags ({@code sh -c …}) reach it
   * untouched, as with docker.
   */
  public static void configure(CommandLine service) {
    service.getSubcommands().get("create").setStopAtPositional(true);
  }
}
