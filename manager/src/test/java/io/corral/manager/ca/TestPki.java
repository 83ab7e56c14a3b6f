package io.corral.manager.ca;

import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeKeys;
import io.corral.manager.tls.NodeRole;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Test fixture: real clusters and node identities issued through the real CA. */
public final class TestPki {

  public static final Duration NODE_VALIDITY = Duration.ofDays(90);

  private TestPki() {}

  public static NodeIdentity node(RootCA ca, String nodeId, NodeRole role) {
    return node(ca, nodeId, role, NODE_VALIDITY);
  }

  public static NodeIdentity node(RootCA ca, String nodeId, NodeRole role, Duration validity) {
    return node(ca, nodeId, role, validity, List.of("localhost", "127.0.0.1"));
  }

  public static NodeIdentity node(
      RootCA ca, String nodeId, NodeRole role, Duration validity, List<String> sanHosts) {
    KeyPair keys = NodeKeys.generate();
    X509Certificate cert =
        ca.issue(NodeKeys.csr(keys, nodeId), nodeId, role, ca.clusterId(), validity, sanHosts);
    return new NodeIdentity(keys.getPrivate(), cert, ca.certificate());
  }

  /**
   * A node whose one-day certificate expired a day ago, issued by a CA whose clock is set two days
   * back.
   */
  public static NodeIdentity expiredNode(RootCA ca, String nodeId, NodeRole role) {
    Clock twoDaysAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC);
    return node(ca.withClock(twoDaysAgo), nodeId, role, Duration.ofDays(1));
  }
}
