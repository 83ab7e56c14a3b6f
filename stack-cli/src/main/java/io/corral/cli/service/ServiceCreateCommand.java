package io.corral.cli.service;

import io.corral.api.CreateServiceRequest;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.cli.CliContext;
import io.corral.cli.Main;
import io.corral.cli.format.DaemonCall;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service create [OPTIONS] IMAGE [COMMAND] [ARG...]}: creates a service, prints its id, and unless
 * {@code -d} follows it until it converges, as {@code docker service create} does.
 */
@Command(name = "create", description = "Create a new service.")
public final class ServiceCreateCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  io.corral.cli.HelpOption help;

  @Mixin
  ServiceSpecFlags flags;

  @Mixin
  ServiceProgress progress;

  @Option(names = {"-q", "--quiet"}, description = "Suppress progress output.")
  boolean quiet;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "Image to run.")
  String image;

  @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (after the image's entrypoint).")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    return DaemonCall.run(ctx, spec.commandLine().getErr(), () -> {
      // Every flag is checked before the daemon is asked anything.
      ServiceSpec serviceSpec = flags.toSpec(image, args, System::getenv);
      progress.patience();
      Service created = DaemonCall.control(ctx).createService(CreateServiceRequest.newBuilder()
          .setSpec(serviceSpec).build()).getService();
      out.println(created.getId());
      out.flush();
      if (!progress.detach) {
        progress.await(ctx, created.getId(), quiet, out);
      }
      return 0;
    });
  }
}
