package io.corral.cli.service;

import io.corral.api.RemoveServiceRequest;
import io.corral.api.Service;
import io.corral.cli.CliContext;
import io.corral.cli.Main;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service rm SERVICE...}: removes services, printing each argument removed. Like docker it goes on
 * after a failure and reports every failure at the end.
 */
@Command(name = "rm", aliases = "remove", description = "Remove one or more services.")
public final class ServiceRemoveCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  io.corral.cli.HelpOption help;

  @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id, or id prefix.")
  List<String> refs;

  @Override
  public Integer call() {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    return DaemonCall.run(ctx, spec.commandLine().getErr(), () -> {
      ServiceResolver resolver = new ServiceResolver(ctx);
      List<String> errors = new ArrayList<>();
      for (String ref : refs) {
        try {
          Service s = resolver.resolve(ref);
          DaemonCall.control(ctx).removeService(RemoveServiceRequest.newBuilder().setServiceId(s.getId()).build());
          out.println(ref);
        } catch (CliFailure e) {
          errors.add(e.getMessage());
        } catch (StatusRuntimeException e) {
          errors.add(DaemonCall.message(ctx, e));
        }
      }
      out.flush();
      if (!errors.isEmpty()) {
        throw new CliFailure(String.join("\n", errors));
      }
      return 0;
    });
  }
}
