package io.corral.cli.service;

import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.InspectOptions;
import io.corral.cli.command.Inspector;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.CliFailure;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service inspect [--pretty] [-f FORMAT] SERVICE...}: docker's JSON array of services (with their
 * defaults filled in), a template per service, or the human-readable form.
 */
@Command(name = "inspect", description = "Display detailed information on one or more services.")
public final class ServiceInspectCommand extends CorralCommand {

  @Mixin
  InspectOptions options;

  @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id, or id prefix.")
  List<String> refs;

  @Override
  protected int run() throws Exception {
    String format = options.format();
    if (options.pretty() && !format.isEmpty() && !format.equals("pretty")) {
      throw new CliFailure("--format is incompatible with human friendly format");
    }
    if (options.pretty() || format.equals("pretty")) {
      Inspector.pretty(out(), refs, ref -> ServicePretty.render(Lookup.service(ctx(), ref, true)));
    } else {
      Inspector.print(ctx(), out(), refs, format, ref -> ServiceJson.of(Lookup.service(ctx(), ref, true)));
    }
    return 0;
  }
}
