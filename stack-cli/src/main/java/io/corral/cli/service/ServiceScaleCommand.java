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
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service scale SERVICE=REPLICAS...}: sets the replicas of replicated services (or
 * the completions of replicated jobs), then follows them until they converge unless {@code -d}.
 * Like docker it goes on after a failure and reports every failure at the end.
 */
@Command(name = "scale", description = "Scale one or multiple replicated services.")
public final class ServiceScaleCommand extends CorralCommand {

  @Mixin ServiceProgress progress;

  @Parameters(
      arity = "1..*",
      paramLabel = "SERVICE=REPLICAS",
      description = "Service and its new task count.")
  List<String> args;

  /** One parsed argument. */
  record Target(String service, String replicas) {}

  /** A service scaled: its id, and the argument that named it. */
  private record Scaled(String id, String ref) {}

  @Override
  protected int run() throws InterruptedException {
    CliContext ctx = ctx();
    PrintWriter out = out();
    List<Target> targets = parse(args, spec.commandLine().getCommandName());
    progress.patience();
    List<String> errors = new ArrayList<>();
    List<Scaled> scaled = new ArrayList<>();
    for (Target t : targets) {
      long replicas;
      try {
        replicas = Long.parseUnsignedLong(t.replicas());
        if (t.replicas().startsWith("+")) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        errors.add(
            t.service()
                + ": invalid replicas value "
                + t.replicas()
                + ": strconv.ParseUint: parsing \""
                + t.replicas()
                + "\": invalid syntax");
        continue;
      }
      try {
        Service s = scale(ctx, t.service(), replicas);
        out.println(t.service() + " scaled to " + replicas);
        out.flush();
        scaled.add(new Scaled(s.getId(), t.service()));
      } catch (CliFailure e) {
        errors.add(t.service() + ": " + e.getMessage());
      } catch (StatusRuntimeException e) {
        errors.add(t.service() + ": " + DaemonCall.message(ctx, e));
      }
    }
    if (!progress.detach) {
      for (Scaled s : scaled) {
        try {
          progress.await(ctx, s.id(), false, out);
        } catch (CliFailure e) {
          errors.add(s.ref() + ": " + e.getMessage());
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new CliFailure(String.join("\n", errors));
    }
    return 0;
  }

  /**
   * Splits {@code SERVICE=REPLICAS} arguments.
   *
   * @throws CliFailure docker's "Invalid scale specifier" message for one without both parts
   */
  static List<Target> parse(List<String> args, String command) {
    List<Target> targets = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0 || eq == arg.length() - 1) {
        throw new CliFailure(
            "Invalid scale specifier '"
                + arg
                + "'.\nSee 'corral service "
                + command
                + " --help'.\n\nUsage:  corral service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]\n\n"
                + "Scale one or multiple replicated services");
      }
      targets.add(new Target(arg.substring(0, eq), arg.substring(eq + 1)));
    }
    return targets;
  }

  /** Docker's runServiceScale: reads the service and sends the new count with the version read. */
  private static Service scale(CliContext ctx, String ref, long replicas) {
    Service s = Lookup.service(ctx, ref, false);
    ServiceSpec.Builder spec = s.getSpec().toBuilder();
    switch (spec.getModeCase()) {
      case REPLICATED -> spec.getReplicatedBuilder().setReplicas(replicas);
      case REPLICATED_JOB -> spec.getReplicatedJobBuilder().setTotalCompletions(replicas);
      default ->
          throw new CliFailure("scale can only be used with replicated or replicated-job mode");
    }
    return DaemonCall.control(ctx)
        .updateService(
            UpdateServiceRequest.newBuilder()
                .setServiceId(s.getId())
                .setServiceVersion(Version.newBuilder().setIndex(s.getMeta().getVersion()))
                .setSpec(spec)
                .build())
        .getService();
  }
}
