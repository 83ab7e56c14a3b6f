package io.corral.cli.node;

import io.corral.cli.CliContext;
import io.corral.cli.Main;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.format.Json;
import io.corral.cli.format.Template;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral node inspect [--pretty] [-f FORMAT] self|NODE...}: docker's JSON array of nodes, one JSON object per
 * line ({@code -f json}), a template per node, or the human-readable form.
 */
@Command(name = "inspect", description = "Display detailed information on one or more nodes.")
public final class NodeInspectCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--format"}, description = "Format output using a template ('json', 'pretty', or e.g. "
      + "'{{.Status.State}}'); default: a JSON array.")
  String format = "";

  @Option(names = "--pretty", description = "Print the information in a human friendly format.")
  boolean pretty;

  @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, id prefix, hostname, or \"self\".")
  List<String> refs;

  @Override
  public Integer call() {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return DaemonCall.run(ctx, err, () -> {
      String f = pretty ? "pretty" : format;
      if (f.startsWith("pretty") && !f.equals("pretty")) {
        throw new CliFailure("cannot supply extra formatting options to the pretty template");
      }
      NodeResolver resolver = new NodeResolver(ctx);
      if (f.equals("pretty")) {
        // Docker renders the pretty form only when every node was found: the first error is all it prints.
        StringBuilder text = new StringBuilder();
        for (String ref : refs) {
          text.append(NodePretty.render(resolver.resolve(ref)));
        }
        out.print(text);
        out.flush();
        return 0;
      }
      Template template = f.isEmpty() || f.equals("json") ? null : Template.parse(f);
      List<Map<String, Object>> found = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (String ref : refs) {
        Map<String, Object> node;
        try {
          node = NodeJson.of(resolver.resolve(ref));
        } catch (CliFailure e) {
          errors.add(e.getMessage());
          continue;
        } catch (StatusRuntimeException e) {
          errors.add(DaemonCall.message(ctx, e));
          continue;
        }
        // Templates and json lines are printed as they come, the array at the end (like docker's inspectors).
        if (template != null) {
          out.println(template.execute(node));
        } else if (f.equals("json")) {
          out.println(Json.compact(node));
        } else {
          found.add(node);
        }
      }
      if (f.isEmpty()) {
        out.println(Json.indented(found));
      }
      out.flush();
      if (!errors.isEmpty()) {
        throw new CliFailure(String.join("\n", errors));
      }
      return 0;
    });
  }
}
