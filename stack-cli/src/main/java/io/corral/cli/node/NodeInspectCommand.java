package io.corral.cli.node;

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
 * {@code corral node inspect [--pretty] [-f FORMAT] self|NODE...}: docker's JSON array of nodes, one JSON object per
 * line ({@code -f json}), a template per node, or the human-readable form.
 */
@Command(name = "inspect", description = "Display detailed information on one or more nodes.")
public final class NodeInspectCommand extends CorralCommand {

  @Mixin
  InspectOptions options;

  @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, id prefix, hostname, or \"self\".")
  List<String> refs;

  @Override
  protected int run() throws Exception {
    String f = options.pretty() ? "pretty" : options.format();
    if (f.startsWith("pretty") && !f.equals("pretty")) {
      throw new CliFailure("cannot supply extra formatting options to the pretty template");
    }
    if (f.equals("pretty")) {
      Inspector.pretty(out(), refs, ref -> NodePretty.render(Lookup.node(ctx(), ref)));
    } else {
      Inspector.print(ctx(), out(), refs, f, ref -> NodeJson.of(Lookup.node(ctx(), ref)));
    }
    return 0;
  }
}
