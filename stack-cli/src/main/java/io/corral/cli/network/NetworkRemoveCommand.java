package io.corral.cli.network;

import io.corral.api.RemoveNetworkRequest;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.EachRef;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.DaemonCall;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code corral network rm NETWORK...}: removes networks, printing each as it goes. Like docker it
 * goes on after a failure (a network a service still uses is refused by the manager, which names
 * the service) and reports every failure at the end, with exit code 1.
 */
@Command(name = "rm", aliases = "remove", description = "Remove one or more networks.")
public final class NetworkRemoveCommand extends CorralCommand {

  @Parameters(
      arity = "1..*",
      paramLabel = "NETWORK",
      description = "Network name, id, or id prefix.")
  List<String> refs;

  @Override
  protected int run() throws Exception {
    EachRef.apply(
            ctx(),
            refs,
            ref -> {
              Lookup.orNoSuch(
                  "network",
                  ref,
                  () ->
                      DaemonCall.control(ctx())
                          .removeNetwork(
                              RemoveNetworkRequest.newBuilder().setNetworkId(ref).build()));
              out().println(ref);
              return null;
            })
        .failIfAny();
    return 0;
  }
}
