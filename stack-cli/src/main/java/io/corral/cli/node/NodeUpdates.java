package io.corral.cli.node;

import io.corral.api.Node;
import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.api.UpdateNodeRequest;
import io.corral.api.Version;
import io.corral.cli.CliContext;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.DaemonCall;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Docker's {@code updateNodes}, shared by {@code node promote|demote|update}: for each NODE read
 * the node, let the command derive the new spec, and send it with the version read (the daemon
 * refuses it if the node changed in between). The first failure stops the loop, as in docker.
 */
final class NodeUpdates {

  private final CliContext ctx;

  NodeUpdates(CliContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Updates each node in {@code refs}.
   *
   * @param change the new spec, or empty to skip the node (nothing to change)
   * @param success told the NODE argument after its update
   */
  void apply(
      List<String> refs, Function<Node, Optional<NodeSpec>> change, Consumer<String> success) {
    for (String ref : refs) {
      Node node = Lookup.node(ctx, ref);
      Optional<NodeSpec> spec = change.apply(node);
      if (spec.isEmpty()) {
        continue;
      }
      DaemonCall.control(ctx)
          .updateNode(
              UpdateNodeRequest.newBuilder()
                  .setNodeId(node.getId())
                  .setNodeVersion(Version.newBuilder().setIndex(node.getMeta().getVersion()))
                  .setSpec(spec.get())
                  .build());
      success.accept(ref);
    }
  }

  /**
   * {@code node promote|demote}: sets the desired role of each node, printing docker's line for
   * each changed node, or "Node ID is already a ROLE." for one that has the role already.
   */
  int setRole(
      List<String> refs, NodeRole role, PrintWriter out, Function<String, String> doneLine) {
    apply(
        refs,
        node -> {
          if (node.getSpec().getDesiredRole() == role) {
            out.println("Node " + node.getId() + " is already a " + NodeWords.role(role) + ".");
            return Optional.empty();
          }
          return Optional.of(node.getSpec().toBuilder().setDesiredRole(role).build());
        },
        ref -> out.println(doneLine.apply(ref)));
    return 0;
  }
}
