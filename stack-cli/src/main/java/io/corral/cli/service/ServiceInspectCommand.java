package io.corral.cli.service;

import io.corral.api.Service;
import io.corral.cli.CliContext;
import io.corral.cli.command.InspectCommand;
import io.corral.cli.command.InspectOptions;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.CliFailure;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service inspect [--pretty] [-f FORMAT] SERVICE...}: docker's JSON array of services
 * (with their defaults filled in), a template per service, or the human-readable form.
 */
@Command(name = "inspect", description = "Display detailed information on one or more services.")
public final class ServiceInspectCommand extends InspectCommand<Service> {

  @Parameters(
      arity = "1..*",
      paramLabel = "SERVICE",
      description = "Service name, id, or id prefix.")
  List<String> refs;

  public ServiceInspectCommand() {
    super(
        (ctx, ref) -> Lookup.service(ctx, ref, true),
        ServiceJson::of,
        (ctx, s) -> ServicePretty.render(s, ctx.clock().instant(), id -> networkName(ctx, id)));
  }

  /** Docker's pretty form names networks; one it cannot read is shown by its id. */
  private static String networkName(CliContext ctx, String id) {
    try {
      return Lookup.network(ctx, id).getSpec().getAnnotations().getName();
    } catch (RuntimeException e) {
      if (Lookup.isNotFound(e)) {
        return id;
      }
      throw e;
    }
  }

  @Override
  protected String form(InspectOptions options) {
    String format = options.format();
    if (options.pretty() && !format.isEmpty() && !format.equals("pretty")) {
      throw new CliFailure("--format is incompatible with human friendly format");
    }
    return options.pretty() ? "pretty" : format;
  }
}
