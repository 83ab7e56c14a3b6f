package io.corral.manager.controlapi;

import com.google.protobuf.Timestamp;
import io.corral.api.BlacklistedCertificate;
import io.corral.api.Cluster;
import io.corral.api.GetNodeRequest;
import io.corral.api.ListNodesRequest;
import io.corral.api.ManagerStatus;
import io.corral.api.Node;
import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.RaftMemberStatus;
import io.corral.api.RemoveNodeRequest;
import io.corral.api.UpdateNodeRequest;
import io.corral.common.ProtoTime;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.RaftView;
import io.corral.manager.store.Store;
import io.corral.manager.store.StorePeer;
import io.corral.manager.tls.Pem;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The node half of the Control API: reads nodes with their live Raft status, and validates and
 * applies `node update|promote|demote|rm`.
 */
final class NodeApi {

  private final Store store;
  private final RaftView raft;

  NodeApi(Store store, RaftView raft) {
    this.store = store;
    this.raft = raft;
  }

  Node get(GetNodeRequest request) {
    Node node = store.view(tx -> References.node(tx, request.getNodeId()));
    return withRaftStatus(List.of(node)).get(0);
  }

  List<Node> list(ListNodesRequest request) {
    Predicate<Node> filter = filter(request.getFilters());
    return withRaftStatus(store.view(tx -> tx.find(ObjectKind.NODE, filter)));
  }

  Node update(UpdateNodeRequest request) {
    if (!request.hasSpec()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("node update needs a spec")
          .asRuntimeException();
    }
    NodeSpec spec = request.getSpec();
    if (spec.getDesiredRole() == NodeRole.UNRECOGNIZED
        || spec.getAvailability() == NodeSpec.Availability.UNRECOGNIZED) {
      throw Status.INVALID_ARGUMENT
          .withDescription("node spec has an unknown role or availability")
          .asRuntimeException();
    }
    Node[] updated = new Node[1];
    store.update(
        tx -> {
          Node current = References.node(tx, request.getNodeId());
          String id = current.getId();
          long version = current.getMeta().getVersion();
          if (request.hasNodeVersion() && request.getNodeVersion().getIndex() != version) {
            throw Status.FAILED_PRECONDITION
                .withDescription(
                    "update out of sequence: node "
                        + id
                        + " changed since it was read (version "
                        + request.getNodeVersion().getIndex()
                        + ", now "
                        + version
                        + "); read it again and retry")
                .asRuntimeException();
          }
          if (current.getSpec().getDesiredRole() == NodeRole.MANAGER
              && spec.getDesiredRole() == NodeRole.WORKER) {
            checkDemotionKeepsQuorum(tx.list(ObjectKind.NODE), id);
          }
          updated[0] = current.toBuilder().setSpec(spec).build();
          tx.update(updated[0]);
        });
    return get(GetNodeRequest.newBuilder().setNodeId(updated[0].getId()).build());
  }

  /**
   * Docker refuses to demote the last manager, and a demotion that would leave the rest without
   * quorum.
   */
  private void checkDemotionKeepsQuorum(List<Node> nodes, String id) {
    List<StorePeer> members = raft.members();
    if (members.stream().noneMatch(m -> m.id().equals(id))) {
      return;
    }
    if (members.size() == 1) {
      throw Status.FAILED_PRECONDITION
          .withDescription("attempting to demote the last manager of the swarm")
          .asRuntimeException();
    }
    Map<String, Boolean> reachable = raft.reachability();
    long remainingReachable =
        members.stream()
            .filter(m -> !m.id().equals(id) && reachable.getOrDefault(m.id(), false))
            .count();
    int remaining = members.size() - 1;
    if (remainingReachable <= remaining / 2) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "can't remove member from the raft: this would result in "
                  + "a loss of quorum ("
                  + remainingReachable
                  + " of the remaining "
                  + remaining
                  + " managers are reachable)")
          .asRuntimeException();
    }
  }

  void remove(RemoveNodeRequest request) {
    store.update(
        tx -> {
          Node node = References.node(tx, request.getNodeId());
          String id = node.getId();
          if (node.getRole() == NodeRole.MANAGER
              || raft.members().stream().anyMatch(m -> m.id().equals(id))) {
            throw Status.FAILED_PRECONDITION
                .withDescription(
                    "node "
                        + id
                        + " is a cluster manager and is a member "
                        + "of the raft cluster. It must be demoted to worker before removal")
                .asRuntimeException();
          }
          if (!request.getForce() && node.getStatus().getState() == NodeStatus.State.READY) {
            throw Status.FAILED_PRECONDITION
                .withDescription(
                    "node "
                        + id
                        + " is not down and can't be removed; "
                        + "use --force to remove it anyway (it will not be able to reconnect)")
                .asRuntimeException();
          }
          // Its certificate stays valid until it expires: remember the node id so TLS refuses it
          // from now on.
          Cluster cluster =
              tx.list(ObjectKind.CLUSTER).stream()
                  .findFirst()
                  .orElseThrow(
                      () ->
                          Status.INTERNAL
                              .withDescription("no cluster object")
                              .asRuntimeException());
          tx.update(
              cluster.toBuilder()
                  .putBlacklistedCertificates(
                      id,
                      BlacklistedCertificate.newBuilder()
                          .setExpiry(certificateExpiry(node))
                          .build())
                  .build());
          tx.delete(ObjectKind.NODE, id);
        });
  }

  /** Adds who leads and who is reachable, which only the Raft group knows right now. */
  private List<Node> withRaftStatus(List<Node> nodes) {
    if (nodes.stream().noneMatch(n -> n.getRole() == NodeRole.MANAGER)) {
      return nodes;
    }
    List<StorePeer> members = raft.members();
    Map<String, String> raftAddr =
        members.stream().collect(Collectors.toMap(StorePeer::id, StorePeer::address));
    Map<String, Boolean> reachable = raft.reachability();
    String leader = raft.leaderId().orElse("");
    return nodes.stream()
        .map(
            n -> {
              if (!raftAddr.containsKey(n.getId())) {
                return n;
              }
              ManagerStatus.Builder ms =
                  n.getManagerStatus().toBuilder()
                      .setAddr(raftAddr.get(n.getId()))
                      .setLeader(leader.equals(n.getId()))
                      .setReachability(
                          reachable.getOrDefault(n.getId(), false)
                              ? RaftMemberStatus.Reachability.REACHABLE
                              : RaftMemberStatus.Reachability.UNREACHABLE);
              return n.toBuilder().setManagerStatus(ms).build();
            })
        .toList();
  }

  private static Predicate<Node> filter(ListNodesRequest.Filters f) {
    Predicate<Node> p = n -> true;
    if (!f.getNamesList().isEmpty()) {
      p = p.and(n -> f.getNamesList().contains(n.getDescription().getHostname()));
    }
    if (!f.getNamePrefixesList().isEmpty()) {
      p =
          p.and(
              n ->
                  f.getNamePrefixesList().stream()
                      .anyMatch(x -> n.getDescription().getHostname().startsWith(x)));
    }
    if (!f.getIdPrefixesList().isEmpty()) {
      p = p.and(n -> f.getIdPrefixesList().stream().anyMatch(x -> n.getId().startsWith(x)));
    }
    if (!f.getRolesList().isEmpty()) {
      p = p.and(n -> f.getRolesList().contains(n.getRole()));
    }
    if (!f.getMembershipsList().isEmpty()) {
      p = p.and(n -> f.getMembershipsList().contains(n.getSpec().getMembership()));
    }
    if (!f.getLabelsMap().isEmpty()) {
      p =
          p.and(
              n ->
                  f.getLabelsMap().entrySet().stream()
                      .allMatch(
                          e -> {
                            String v = n.getSpec().getAnnotations().getLabelsMap().get(e.getKey());
                            return v != null && (e.getValue().isEmpty() || e.getValue().equals(v));
                          }));
    }
    return p;
  }

  private static Timestamp certificateExpiry(Node node) {
    String pem = node.getCertificate().getCertificate().toStringUtf8();
    if (pem.isBlank()) {
      return Timestamp.getDefaultInstance();
    }
    // Certificates count in whole seconds, so the timestamp has no nanos.
    return ProtoTime.timestamp(Pem.readCertificate(pem).getNotAfter().toInstant());
  }
}
