package io.corral.cli.service;

import io.corral.api.RemoveServiceRequest;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.EachRef;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.DaemonCall;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service rm SERVICE...}: removes services, printing each argument removed. Like
 * docker it goes on after a failure and reports every failure at the end.
 */
@Command(name = "rm", aliases = "remove", description = "Remove one or more services.")
public final class ServiceRemoveCommand extends CorralCommand {

  @Parameters(
      arity = "1..*",
      paramLabel = "SERVICE",
      description = "Service name, id, or id prefix.")
  List<String> refs;

  @Override
  protected int run() throws Exception {
    EachRef.apply(
            ctx(),
            refs,
            ref -> {
              String id = Lookup.service(ctx(), ref, false).getId();
              DaemonCall.control(ctx())
                  .removeService(RemoveServiceRequest.newBuilder().setServiceId(id).build());
              out().println(ref);
              return null;
            })
        .failIfAny();
    return 0;
  }
}
