package io.corral.cli.network;

import io.corral.api.ListNetworksRequest;
import io.corral.api.ListServicesRequest;
import io.corral.api.Network;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.RemoveNetworkRequest;
import io.corral.api.Service;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.EachRef;
import io.corral.cli.format.DaemonCall;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral network prune [-f]}: removes every network no service uses, after asking as {@code
 * docker network prune} does unless {@code -f}. The ingress network is never pruned.
 */
@Command(name = "prune", description = "Remove all unused networks.")
public final class NetworkPruneCommand extends CorralCommand {

  static final String WARNING =
      "WARNING! This will remove all custom networks not used by at least one service.";

  @Option(
      names = {"-f", "--force"},
      description = "Do not prompt for confirmation.")
  boolean force;

  @Override
  protected int run() throws Exception {
    if (!force && !confirmed()) {
      return 0;
    }
    List<Network> networks =
        DaemonCall.control(ctx())
            .listNetworks(ListNetworksRequest.getDefaultInstance())
            .getNetworksList();
    List<Service> services =
        DaemonCall.control(ctx())
            .listServices(ListServicesRequest.getDefaultInstance())
            .getServicesList();
    List<Network> unused = unused(networks, services);
    StringBuilder deleted = new StringBuilder();
    EachRef.Outcome<String> removed =
        EachRef.apply(
            ctx(),
            unused.stream().map(Network::getId).toList(),
            id -> {
              DaemonCall.control(ctx())
                  .removeNetwork(RemoveNetworkRequest.newBuilder().setNetworkId(id).build());
              return id;
            });
    for (Network n : unused) {
      if (removed.results().contains(n.getId())) {
        deleted.append(n.getSpec().getAnnotations().getName()).append('\n');
      }
    }
    if (deleted.length() > 0) {
      out().print("Deleted Networks:\n" + deleted);
    }
    removed.failIfAny();
    return 0;
  }

  /**
   * The networks no service's task template (nor its older service-level list) names, by id or by
   * name, ingress aside; sorted by name.
   */
  static List<Network> unused(List<Network> networks, List<Service> services) {
    Set<String> used = new HashSet<>();
    for (Service s : services) {
      Stream.concat(
              s.getSpec().getTask().getNetworksList().stream(),
              s.getSpec().getNetworksList().stream())
          .map(NetworkAttachmentConfig::getTarget)
          .forEach(used::add);
    }
    return networks.stream()
        .filter(n -> !n.getSpec().getIngress() && !n.getPendingDelete())
        .filter(
            n ->
                !used.contains(n.getId()) && !used.contains(n.getSpec().getAnnotations().getName()))
        .sorted(Comparator.comparing((Network n) -> n.getSpec().getAnnotations().getName()))
        .toList();
  }

  /** Docker's prompt: only "y" or "yes" (any case) goes on. */
  private boolean confirmed() throws IOException {
    out().print(WARNING + "\nAre you sure you want to continue? [y/N] ");
    out().flush();
    String answer =
        new BufferedReader(new InputStreamReader(ctx().stdin(), StandardCharsets.UTF_8)).readLine();
    String a = answer == null ? "" : answer.strip().toLowerCase();
    return a.equals("y") || a.equals("yes");
  }
}
