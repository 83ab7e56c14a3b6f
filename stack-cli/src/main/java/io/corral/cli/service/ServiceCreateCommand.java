package io.corral.cli.service;

import io.corral.api.CreateServiceRequest;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.format.DaemonCall;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service create [OPTIONS] IMAGE [COMMAND] [ARG...]}: creates a service, prints its
 * id, and unless {@code -d} follows it until it converges, as {@code docker service create} does.
 */
@Command(name = "create", description = "Create a new service.")
public final class ServiceCreateCommand extends CorralCommand {

  @Mixin ServiceSpecFlags flags;

  @Mixin RolloutFlags rollout;

  @Mixin HealthFlags health;

  @Mixin NetworkFlags network;

  @Mixin PublishFlags publish;

  @Mixin ServiceProgress progress;

  @Option(
      names = {"-q", "--quiet"},
      description = "Suppress progress output.")
  boolean quiet;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "Image to run.")
  String image;

  @Parameters(
      index = "1..*",
      paramLabel = "COMMAND",
      description = "Command and arguments (after the image's entrypoint).")
  List<String> args = new ArrayList<>();

  @Override
  protected int run() throws InterruptedException {
    // Every flag is checked before the daemon is asked anything.
    ServiceSpec.Builder built = flags.toSpec(image, args, System::getenv).toBuilder();
    health.applyTo(built.getTaskBuilder().getContainerBuilder());
    rollout.applyTo(built);
    network.applyTo(built);
    publish.applyTo(built);
    ServiceSpec serviceSpec = built.build();
    progress.patience();
    Service created =
        DaemonCall.control(ctx())
            .createService(CreateServiceRequest.newBuilder().setSpec(serviceSpec).build())
            .getService();
    out().println(created.getId());
    out().flush();
    if (!progress.detach) {
      progress.await(ctx(), created.getId(), quiet, out());
    }
    return 0;
  }
}
