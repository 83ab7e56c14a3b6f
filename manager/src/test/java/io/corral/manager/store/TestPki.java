package io.corral.manager.store;

import io.corral.manager.ca.RootCA;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeKeys;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerPolicy;
import io.corral.manager.tls.TlsMaterial;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/** A real cluster CA for store tests, issuing node identities through the CSR flow. */
final class TestPki {

  final String clusterId;
  final RootCA ca;

  TestPki(String clusterId) {
    this.clusterId = clusterId;
    this.ca = RootCA.create(clusterId);
  }

  NodeIdentity identity(String nodeId, NodeRole role) {
    KeyPair keys = NodeKeys.generate();
    X509Certificate cert =
        ca.issue(
            NodeKeys.csr(keys, nodeId),
            nodeId,
            role,
            clusterId,
            Duration.ofDays(90),
            List.of("127.0.0.1"));
    return new NodeIdentity(keys.getPrivate(), cert, ca.certificate());
  }

  /** What a manager presents and accepts on the Raft port: managers of this cluster only. */
  TlsMaterial managerTls(String nodeId) {
    return tls(identity(nodeId, NodeRole.MANAGER));
  }

  TlsMaterial tls(NodeIdentity identity) {
    return TlsMaterial.of(
        identity,
        PeerPolicy.requireRole(NodeRole.MANAGER).and(PeerPolicy.requireCluster(clusterId)));
  }
}
