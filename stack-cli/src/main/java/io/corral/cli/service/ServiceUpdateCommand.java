package io.corral.cli.service;

import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.UpdateServiceRequest;
import io.corral.api.Version;
import io.corral.cli.CliContext;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service update [OPTIONS] SERVICE}: reads the service, applies the flags to its spec
 * and sends it with the version read (or, with {@code --rollback}, asks for the previous spec);
 * then follows it until it converges unless {@code -d}, as docker does.
 */
@Command(name = "update", description = "Update a service.")
public final class ServiceUpdateCommand extends CorralCommand {

  @Mixin ServiceUpdateFlags flags;

  @Mixin ServiceProgress progress;

  @Option(
      names = {"-q", "--quiet"},
      description = "Suppress progress output.")
  boolean quiet;

  @Option(names = "--rollback", description = "Rollback to previous specification.")
  boolean rollback;

  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service to update.")
  String service;

  @Override
  protected int run() throws InterruptedException {
    if (rollback && flags.any()) {
      throw new CliFailure("other flags may not be combined with --rollback");
    }
    progress.patience();
    CliContext ctx = ctx();
    Service current = Lookup.service(ctx, service, false);
    UpdateServiceRequest.Builder request =
        UpdateServiceRequest.newBuilder()
            .setServiceId(current.getId())
            .setServiceVersion(Version.newBuilder().setIndex(current.getMeta().getVersion()));
    if (rollback) {
      request.setRollback(UpdateServiceRequest.Rollback.PREVIOUS);
    } else {
      // Every flag is checked here, before anything is written.
      ServiceSpec spec = flags.applyTo(current.getSpec(), ref -> Lookup.network(ctx, ref).getId());
      request.setSpec(spec);
    }
    return send(ctx, service, request.build(), progress, quiet, out());
  }

  /**
   * Sends the update, prints the service as the user named it ({@code ref}, as docker does), then
   * waits unless detached.
   */
  static int send(
      CliContext ctx,
      String ref,
      UpdateServiceRequest request,
      ServiceProgress progress,
      boolean quiet,
      PrintWriter out)
      throws InterruptedException {
    Service updated = DaemonCall.control(ctx).updateService(request).getService();
    out.println(ref);
    out.flush();
    if (!progress.detach) {
      progress.await(ctx, updated.getId(), quiet, out);
    }
    return 0;
  }
}
