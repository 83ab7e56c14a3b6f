package io.corral.cli.node;

import io.corral.api.InfoRequest;
import io.corral.api.ListNodesRequest;
import io.corral.api.Node;
import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.ListOptions;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.format.FilterArgs;
import io.corral.cli.format.NaturalOrder;
import io.corral.cli.format.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code corral node ls}: the nodes of the swarm, as {@code docker node ls} prints them. */
@Command(name = "ls", aliases = "list", description = "List nodes in the swarm.")
public final class NodeListCommand extends CorralCommand {

  private static final Set<String> FILTERS =
      Set.of("id", "name", "label", "node.label", "role", "membership");

  @Mixin ListOptions list;

  @Override
  protected int run() {
    FilterArgs f = list.filters(FILTERS);
    List<Node> nodes =
        new ArrayList<>(
            DaemonCall.control(ctx())
                .listNodes(ListNodesRequest.newBuilder().setFilters(serverFilters(f)).build())
                .getNodesList());
    // The daemon filters on node (spec) labels; docker's "label" means engine labels, checked here.
    Map<String, String> engineLabels = f.labels("label");
    nodes.removeIf(n -> !matches(n.getDescription().getEngine().getLabelsMap(), engineLabels));
    nodes.sort(
        Comparator.comparing((Node n) -> n.getDescription().getHostname(), NaturalOrder.INSTANCE));

    if (list.quiet()) {
      nodes.forEach(n -> out().println(n.getId()));
      return 0;
    }
    // Like docker, ask who we are only when there is a line to mark.
    String selfId =
        nodes.isEmpty()
            ? ""
            : DaemonCall.local(ctx()).info(InfoRequest.getDefaultInstance()).getNodeId();
    List<NodeRow> rows = nodes.stream().map(n -> NodeRow.of(n, selfId)).toList();
    out().print(list.render(rows, NodeListCommand::table, NodeRow::fields, NodeRow.HEADERS));
    return 0;
  }

  /**
   * Docker's default node table: {@code {{.ID}} {{if .Self}}*{{else}} {{end}}\t{{.Hostname}}\t…}.
   */
  static String table(List<NodeRow> rows) {
    Table t =
        new Table()
            .row("ID  ", "HOSTNAME", "STATUS", "AVAILABILITY", "MANAGER STATUS", "ENGINE VERSION");
    for (NodeRow r : rows) {
      t.row(
          r.id() + (r.self() ? " *" : "  "),
          r.hostname(),
          r.status(),
          r.availability(),
          r.managerStatus(),
          r.engineVersion());
    }
    return t.render();
  }

  /**
   * The filters the daemon applies, translated as docker's daemon does (name and id match
   * prefixes).
   */
  private static ListNodesRequest.Filters serverFilters(FilterArgs f) {
    ListNodesRequest.Filters.Builder b =
        ListNodesRequest.Filters.newBuilder()
            .addAllNamePrefixes(f.get("name"))
            .addAllIdPrefixes(f.get("id"))
            .putAllLabels(f.labels("node.label"));
    for (String r : f.get("role")) {
      switch (r.toLowerCase()) {
        case "manager" -> b.addRoles(NodeRole.MANAGER);
        case "worker" -> b.addRoles(NodeRole.WORKER);
        case "" -> {}
        default ->
            throw new CliFailure("Error response from daemon: Invalid role filter: '" + r + "'");
      }
    }
    for (String m : f.get("membership")) {
      switch (m.toLowerCase()) {
        case "accepted" -> b.addMemberships(NodeSpec.Membership.ACCEPTED);
        case "pending" -> b.addMemberships(NodeSpec.Membership.PENDING);
        case "" -> {}
        default ->
            throw new CliFailure(
                "Error response from daemon: Invalid membership filter: '" + m + "'");
      }
    }
    return b.build();
  }

  /**
   * Swarmkit's label match: every wanted key present, with the wanted value unless that is empty.
   */
  private static boolean matches(Map<String, String> labels, Map<String, String> wanted) {
    return wanted.entrySet().stream()
        .allMatch(
            e ->
                labels.containsKey(e.getKey())
                    && (e.getValue().isEmpty() || e.getValue().equals(labels.get(e.getKey()))));
  }
}
