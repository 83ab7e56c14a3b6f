package io.corral.cli.service;

import io.corral.api.ListServiceStatusesRequest;
import io.corral.api.ListServiceStatusesResponse.ServiceStatus;
import io.corral.api.ListServicesRequest;
import io.corral.api.Service;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.ListOptions;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.format.Ellipsis;
import io.corral.cli.format.FilterArgs;
import io.corral.cli.format.NaturalOrder;
import io.corral.cli.format.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code corral service ls}: the services of the swarm with their task counts, as {@code docker
 * service ls}.
 */
@Command(name = "ls", aliases = "list", description = "List services.")
public final class ServiceListCommand extends CorralCommand {

  private static final Set<String> FILTERS = Set.of("id", "name", "label", "mode");

  @Mixin ListOptions list;

  @Override
  protected int run() {
    FilterArgs f = list.filters(FILTERS);
    List<String> modes = f.get("mode");
    for (String m : modes) {
      if (!m.equals("replicated") && !m.equals("global")) {
        throw new CliFailure(
            "Error response from daemon: Invalid filter 'mode="
                + m
                + "' (use replicated or global)");
      }
    }
    List<Service> services =
        new ArrayList<>(
            DaemonCall.control(ctx())
                .listServices(
                    ListServicesRequest.newBuilder()
                        .setFilters(
                            ListServicesRequest.Filters.newBuilder()
                                .addAllNamePrefixes(f.get("name"))
                                .addAllIdPrefixes(f.get("id"))
                                .putAllLabels(f.labels("label")))
                        .build())
                .getServicesList());
    // Docker's daemon filters modes itself; jobs match neither "replicated" nor "global".
    services.removeIf(s -> !modes.isEmpty() && !modes.contains(ServiceWords.mode(s.getSpec())));
    services.sort(Comparator.comparing(ServiceWords::name, NaturalOrder.INSTANCE));

    if (list.quiet()) {
      services.forEach(s -> out().println(Ellipsis.id(s.getId())));
      return 0;
    }
    Map<String, ServiceStatus> statuses =
        services.isEmpty()
            ? Map.of()
            : DaemonCall.control(ctx())
                .listServiceStatuses(
                    ListServiceStatusesRequest.newBuilder()
                        .addAllServices(services.stream().map(Service::getId).toList())
                        .build())
                .getStatusesList()
                .stream()
                .collect(
                    Collectors.toMap(
                        ServiceStatus::getServiceId, Function.identity(), (a, b) -> b));
    List<ServiceRow> rows =
        services.stream()
            .map(
                s ->
                    ServiceRow.of(
                        s, statuses.getOrDefault(s.getId(), ServiceStatus.getDefaultInstance())))
            .toList();
    out()
        .print(
            list.render(rows, ServiceListCommand::table, ServiceRow::fields, ServiceRow.HEADERS));
    return 0;
  }

  /** Docker's default service table. */
  static String table(List<ServiceRow> rows) {
    Table t = new Table().row("ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS");
    rows.forEach(r -> t.row(r.id(), r.name(), r.mode(), r.replicas(), r.image(), r.ports()));
    return t.render();
  }
}
