package io.corral.cli.service;

import io.corral.api.Service;
import io.corral.api.UpdateServiceRequest;
import io.corral.api.Version;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.Lookup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service rollback [-d] [-q] SERVICE}: asks the manager to return the service to its
 * previous spec (with its rollback config), as {@code docker service rollback} does.
 */
@Command(name = "rollback", description = "Revert changes to a service's configuration.")
public final class ServiceRollbackCommand extends CorralCommand {

  @Mixin ServiceProgress progress;

  @Option(
      names = {"-q", "--quiet"},
      description = "Suppress progress output.")
  boolean quiet;

  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service to roll back.")
  String service;

  @Override
  protected int run() throws InterruptedException {
    progress.patience();
    Service current = Lookup.service(ctx(), service, false);
    return ServiceUpdateCommand.send(
        ctx(),
        service,
        UpdateServiceRequest.newBuilder()
            .setServiceId(current.getId())
            .setServiceVersion(Version.newBuilder().setIndex(current.getMeta().getVersion()))
            .setRollback(UpdateServiceRequest.Rollback.PREVIOUS)
            .build(),
        progress,
        quiet,
        out());
  }
}
