package io.corral.manager.tls;

import java.security.cert.CertificateException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What an endpoint demands of a peer beyond a certificate from the cluster root, e.g. a manager
 * role or a node that has not been removed. Checked on every TLS handshake by {@link
 * ClusterTrustManager}.
 */
@FunctionalInterface
public interface PeerPolicy {

  /**
   * Accepts the peer by returning, or refuses it.
   *
   * @throws CertificateException with a message saying which node was refused and why
   */
  void check(PeerIdentity peer) throws CertificateException;

  /** Any node of the cluster. */
  static PeerPolicy any() {
    return peer -> {};
  }

  /** Only nodes with the given role, e.g. managers on the Raft port. */
  static PeerPolicy requireRole(NodeRole role) {
    Objects.requireNonNull(role, "role");
    return peer -> {
      if (peer.role() != role) {
        throw new CertificateException(
            "peer certificate for node "
                + peer.nodeId()
                + " has role "
                + peer.role().ou()
                + "; this endpoint requires "
                + role.ou());
      }
    };
  }

  /** Only certificates naming the given cluster id (O). */
  static PeerPolicy requireCluster(String clusterId) {
    Objects.requireNonNull(clusterId, "clusterId");
    return peer -> {
      if (!peer.clusterId().equals(clusterId)) {
        throw new CertificateException(
            "peer certificate for node "
                + peer.nodeId()
                + " belongs to cluster "
                + peer.clusterId()
                + "; this endpoint serves cluster "
                + clusterId);
      }
    };
  }

  /**
   * Refuses nodes whose id {@code isRemoved} matches. It is consulted on every handshake, so back
   * it by a live (thread-safe) view of the removed nodes, and a removal takes effect on the next
   * connection.
   */
  static PeerPolicy rejectRemoved(Predicate<String> isRemoved) {
    Objects.requireNonNull(isRemoved, "isRemoved");
    return peer -> {
      if (isRemoved.test(peer.nodeId())) {
        throw new CertificateException(
            "peer certificate for node "
                + peer.nodeId()
                + " is refused: the node has been removed from the cluster");
      }
    };
  }

  /**
   * Refuses nodes in the set {@code removedNodes} returns, read afresh on every handshake (e.g. the
   * keys of {@code Cluster.blacklisted_certificates} in the store).
   */
  static PeerPolicy rejectRemoved(Supplier<? extends Set<String>> removedNodes) {
    Objects.requireNonNull(removedNodes, "removedNodes");
    return rejectRemoved(nodeId -> removedNodes.get().contains(nodeId));
  }

  /** This policy, then the other; both must accept. */
  default PeerPolicy and(PeerPolicy other) {
    Objects.requireNonNull(other, "other");
    return peer -> {
      check(peer);
      other.check(peer);
    };
  }
}
