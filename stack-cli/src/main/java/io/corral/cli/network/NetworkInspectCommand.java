package io.corral.cli.network;

import io.corral.api.ListNodesRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.Network;
import io.corral.api.Node;
import io.corral.api.Task;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.Inspector;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.DaemonCall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral network inspect [-f FORMAT] NETWORK...}: docker's JSON array of networks, one JSON
 * object per line ({@code -f json}), or a template per network.
 */
@Command(name = "inspect", description = "Display detailed information on one or more networks.")
public final class NetworkInspectCommand extends CorralCommand {

  @Option(
      names = {"-f", "--format"},
      description =
          "Format output using a template ('json', or e.g. '{{.Id}}'); default: a JSON array.")
  String format = "";

  @Parameters(
      arity = "1..*",
      paramLabel = "NETWORK",
      description = "Network name, id, or id prefix.")
  List<String> refs;

  private List<Task> tasks;
  private Map<String, Node> nodes;

  @Override
  protected int run() throws Exception {
    Inspector.print(
        ctx(),
        out(),
        refs,
        format,
        ref -> {
          Network n = Lookup.network(ctx(), ref);
          return NetworkJson.of(n, tasks(), nodes());
        });
    return 0;
  }

  /** Every task, read once for all the networks asked about. */
  private List<Task> tasks() {
    if (tasks == null) {
      tasks =
          DaemonCall.control(ctx()).listTasks(ListTasksRequest.getDefaultInstance()).getTasksList();
    }
    return tasks;
  }

  private Map<String, Node> nodes() {
    if (nodes == null) {
      nodes = new LinkedHashMap<>();
      DaemonCall.control(ctx())
          .listNodes(ListNodesRequest.getDefaultInstance())
          .getNodesList()
          .forEach(n -> nodes.put(n.getId(), n));
    }
    return nodes;
  }
}
