package io.corral.cli.node;

import io.corral.api.GetNodeRequest;
import io.corral.api.InfoRequest;
import io.corral.api.ListNodesRequest;
import io.corral.api.Node;
import io.corral.cli.CliContext;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;

/**
 * Finds the node a command-line NODE argument names, in the docker daemon's order: {@code self} (this daemon's
 * node), an exact id, an exact hostname, then a unique id prefix.
 */
public final class NodeResolver {

  /** What the CLI calls "this node". */
  public static final String SELF = "self";

  private final CliContext ctx;

  public NodeResolver(CliContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The node {@code ref} names, read now (so its version is fresh for an update).
   *
   * @throws CliFailure "Error: No such node: ref", or the daemon's message when ref is ambiguous
   */
  public Node resolve(String ref) {
    String id = SELF.equals(ref) ? selfId() : ref;
    try {
      return DaemonCall.control(ctx).getNode(GetNodeRequest.newBuilder().setNodeId(id).build()).getNode();
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code != Status.Code.NOT_FOUND && code != Status.Code.INVALID_ARGUMENT) {
        throw e;
      }
    }
    if (SELF.equals(ref)) {
      throw noSuchNode(ref);
    }
    List<Node> all = DaemonCall.control(ctx).listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
    List<Node> byName = all.stream().filter(n -> n.getDescription().getHostname().equals(ref)).toList();
    if (byName.size() == 1) {
      return byName.get(0);
    }
    if (byName.size() > 1) {
      throw ambiguous(ref, byName.size());
    }
    List<Node> byPrefix = all.stream().filter(n -> n.getId().startsWith(ref)).toList();
    if (byPrefix.size() == 1) {
      return byPrefix.get(0);
    }
    if (byPrefix.size() > 1) {
      throw ambiguous(ref, byPrefix.size());
    }
    throw noSuchNode(ref);
  }

  /** This daemon's node id. */
  public String selfId() {
    String id = DaemonCall.local(ctx).info(InfoRequest.getDefaultInstance()).getNodeId();
    if (id.isEmpty()) {
      throw new CliFailure("node ID not found in /info: this node is not part of a swarm");
    }
    return id;
  }

  private static CliFailure noSuchNode(String ref) {
    return new CliFailure("Error: No such node: " + ref);
  }

  private static CliFailure ambiguous(String ref, int matches) {
    return new CliFailure("Error response from daemon: node " + ref + " is ambiguous (" + matches
        + " matches found)");
  }
}
