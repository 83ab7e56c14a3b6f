package io.corral.cli.network;

import io.corral.api.ListNetworksRequest;
import io.corral.api.Network;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.ListOptions;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.format.FilterArgs;
import io.corral.cli.format.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code corral network ls}: the networks of the swarm, as {@code docker network ls} prints them.
 */
@Command(name = "ls", aliases = "list", description = "List networks.")
public final class NetworkListCommand extends CorralCommand {

  private static final Set<String> FILTERS =
      Set.of("id", "name", "label", "driver", "scope", "type");

  @Mixin ListOptions list;

  @Option(names = "--no-trunc", description = "Do not truncate the output.")
  boolean noTrunc;

  @Override
  protected int run() {
    FilterArgs f = list.filters(FILTERS);
    List<Network> networks =
        new ArrayList<>(
            DaemonCall.control(ctx())
                .listNetworks(ListNetworksRequest.getDefaultInstance())
                .getNetworksList());
    // A network being removed (its last tasks still stopping) is gone as far as users are told.
    networks.removeIf(n -> n.getPendingDelete() || !matches(n, f));
    // Docker sorts the list by name.
    networks.sort(Comparator.comparing((Network n) -> n.getSpec().getAnnotations().getName()));
    List<NetworkRow> rows = networks.stream().map(n -> NetworkRow.of(n, !noTrunc)).toList();
    if (list.quiet()) {
      rows.forEach(r -> out().println(r.id()));
      return 0;
    }
    out()
        .print(
            list.render(rows, NetworkListCommand::table, NetworkRow::fields, NetworkRow.HEADERS));
    return 0;
  }

  /** Docker's default network table: {@code table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}}. */
  static String table(List<NetworkRow> rows) {
    Table t = new Table().row("NETWORK ID", "NAME", "DRIVER", "SCOPE");
    for (NetworkRow r : rows) {
      t.row(r.id(), r.name(), r.driver(), r.scope());
    }
    return t.render();
  }

  /**
   * Docker's network filters, applied here: {@code name} matches part of the name, {@code id} a
   * prefix of the id, {@code label} a label (and its value if given), {@code driver} and {@code
   * scope} exactly; {@code type=custom} is every corral network, {@code type=builtin} none. Every
   * key must match, any value of one key.
   */
  static boolean matches(Network n, FilterArgs f) {
    String name = n.getSpec().getAnnotations().getName();
    for (String type : f.get("type")) {
      if (!type.equals("custom") && !type.equals("builtin")) {
        throw new CliFailure("Error response from daemon: invalid filter: 'type'='" + type + "'");
      }
    }
    return any(f.get("name"), name::contains)
        && any(f.get("id"), n.getId()::startsWith)
        && any(f.get("driver"), NetworkRow.driver(n)::equals)
        && any(f.get("scope"), NetworkRow.SCOPE::equals)
        && any(f.get("type"), "custom"::equals)
        && labels(n.getSpec().getAnnotations().getLabelsMap(), f.labels("label"));
  }

  private static boolean any(List<String> wanted, java.util.function.Predicate<String> test) {
    return wanted.isEmpty() || wanted.stream().anyMatch(test);
  }

  private static boolean labels(Map<String, String> labels, Map<String, String> wanted) {
    return wanted.entrySet().stream()
        .allMatch(
            e ->
                labels.containsKey(e.getKey())
                    && (e.getValue().isEmpty() || e.getValue().equals(labels.get(e.getKey()))));
  }
}
