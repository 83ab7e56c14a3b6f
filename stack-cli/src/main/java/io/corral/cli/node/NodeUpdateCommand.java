package io.corral.cli.node;

import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.format.CliFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral node update [--availability A] [--role R] [--label-add k=v] [--label-rm k] NODE}.
 */
@Command(name = "update", description = "Update a node.")
public final class NodeUpdateCommand extends CorralCommand {

  @Option(
      names = "--availability",
      description = "Availability of the node (\"active\", \"pause\", \"drain\").")
  String availability;

  @Option(names = "--role", description = "Role of the node (\"worker\", \"manager\").")
  String role;

  @Option(
      names = "--label-add",
      paramLabel = "key=value",
      description = "Add or update a node label (\"key=value\").")
  List<String> labelAdd = new ArrayList<>();

  @Option(names = "--label-rm", paramLabel = "key", description = "Remove a node label if exists.")
  List<String> labelRm = new ArrayList<>();

  @Parameters(
      index = "0",
      paramLabel = "NODE",
      description = "Node id, id prefix, hostname, or \"self\".")
  String ref;

  @Override
  protected int run() {
    // Flag values are checked before anything is read, like pflag does while parsing.
    NodeSpec.Availability newAvailability =
        availability == null ? null : NodeWords.parseAvailability(availability);
    NodeRole newRole = role == null ? null : NodeWords.parseRole(role);
    Map<String, String> added = labels(labelAdd);
    new NodeUpdates(ctx())
        .apply(
            List.of(ref),
            node -> {
              NodeSpec.Builder s = node.getSpec().toBuilder();
              if (newRole != null) {
                s.setDesiredRole(newRole);
              }
              if (newAvailability != null) {
                s.setAvailability(newAvailability);
              }
              s.getAnnotationsBuilder().putAllLabels(added);
              for (String key : labelRm) {
                if (!s.getAnnotationsBuilder().containsLabels(key)) {
                  throw new CliFailure("key " + key + " doesn't exist in node's labels");
                }
                s.getAnnotationsBuilder().removeLabels(key);
              }
              return Optional.of(s.build());
            },
            updated -> out().println(updated));
    return 0;
  }

  /** {@code k=v} or {@code k} (empty value), as docker's --label-add. */
  private static Map<String, String> labels(List<String> values) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      String key = (eq < 0 ? v : v.substring(0, eq)).strip();
      if (key.isEmpty()) {
        throw new CliFailure(
            "invalid argument \""
                + v
                + "\" for \"--label-add\" flag: invalid label '"
                + v
                + "': empty name");
      }
      labels.put(key, eq < 0 ? "" : v.substring(eq + 1));
    }
    return labels;
  }
}
