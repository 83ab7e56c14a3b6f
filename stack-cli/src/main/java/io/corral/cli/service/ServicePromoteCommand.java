package io.corral.cli.service;

import io.corral.api.PromoteServiceRequest;
import io.corral.api.Service;
import io.corral.cli.CliContext;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.DaemonCall;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service promote [-d] [-q] SERVICE}: continues an update held in its canary stage
 * (beyond docker, which has no canaries), then follows the rest of the update as {@code service
 * update} does unless {@code -d}. The manager refuses a service that is not in state canary.
 */
@Command(
    name = "promote",
    description = "Continue an update held in its canary stage (see --update-canary).")
public final class ServicePromoteCommand extends CorralCommand {

  @Mixin ServiceProgress progress;

  @Option(
      names = {"-q", "--quiet"},
      description = "Suppress progress output.")
  boolean quiet;

  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service to promote.")
  String service;

  @Override
  protected int run() throws InterruptedException {
    progress.patience();
    CliContext ctx = ctx();
    PrintWriter out = out();
    // Read first so that an unknown name fails as every other service command does.
    Service current = Lookup.service(ctx, service, false);
    Service promoted =
        DaemonCall.control(ctx)
            .promoteService(
                PromoteServiceRequest.newBuilder().setServiceId(current.getId()).build())
            .getService();
    // As docker's update and rollback: the service as the user named it.
    out.println(service);
    out.flush();
    if (!progress.detach) {
      progress.await(ctx, promoted.getId(), quiet, out);
    }
    return 0;
  }
}
