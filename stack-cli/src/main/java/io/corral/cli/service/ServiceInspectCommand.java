package io.corral.cli.service;

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
 * {@code corral service inspect [--pretty] [-f FORMAT] SERVICE...}: docker's JSON array of services (with their
 * defaults filled in), a template per service, or the human-readable form.
 */
@Command(name = "inspect", description = "Display detailed information on one or more services.")
public final class ServiceInspectCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  io.corral.cli.HelpOption help;

  @Option(names = {"-f", "--format"}, description = "Format output using a template ('json', 'pretty', or e.g. "
      + "'{{.Spec.Name}}'); default: a JSON array.")
  String format = "";

  @Option(names = "--pretty", description = "Print the information in a human friendly format.")
  boolean pretty;

  @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id, or id prefix.")
  List<String> refs;

  @Override
  public Integer call() {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return DaemonCall.run(ctx, err, () -> {
      if (pretty && !format.isEmpty() && !format.equals("pretty")) {
        throw new CliFailure("--format is incompatible with human friendly format");
      }
      String f = pretty ? "pretty" : format;
      ServiceResolver resolver = new ServiceResolver(ctx);
      if (f.equals("pretty")) {
        // Like docker, the pretty form is printed only when every service was found.
        StringBuilder text = new StringBuilder();
        for (String ref : refs) {
          text.append(ServicePretty.render(resolver.resolve(ref, true)));
        }
        out.print(text);
        out.flush();
        return 0;
      }
      Template template = f.isEmpty() || f.equals("json") ? null : Template.parse(f);
      List<Map<String, Object>> found = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (String ref : refs) {
        Map<String, Object> service;
        try {
          service = ServiceJson.of(resolver.resolve(ref, true));
        } catch (CliFailure e) {
          errors.add(e.getMessage());
          continue;
        } catch (StatusRuntimeException e) {
          errors.add(DaemonCall.message(ctx, e));
          continue;
        }
        if (template != null) {
          out.println(template.execute(service));
        } else if (f.equals("json")) {
          out.println(Json.compact(service));
        } else {
          found.add(service);
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
