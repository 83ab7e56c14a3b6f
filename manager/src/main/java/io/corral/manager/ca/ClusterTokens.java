package io.corral.manager.ca;

import io.corral.api.JoinTokens;
import io.corral.manager.tls.NodeRole;
import java.util.Objects;
import java.util.Optional;

/**
 * The pair of join tokens a cluster keeps (one per role): creating, rotating and matching a
 * presented token.
 */
public final class ClusterTokens {

  private ClusterTokens() {}

  /** Fresh worker and manager tokens naming the root with this digest ({@link RootCA#digestOf}). */
  public static JoinTokens create(String rootDigest) {
    return JoinTokens.newBuilder()
        .setWorker(JoinToken.generate(rootDigest).value())
        .setManager(JoinToken.generate(rootDigest).value())
        .build();
  }

  /**
   * The tokens with the one for {@code role} replaced by a fresh one (`swarm join-token --rotate`);
   * the old one stops working at once, nodes that already joined are unaffected.
   */
  public static JoinTokens rotate(JoinTokens tokens, NodeRole role, String rootDigest) {
    Objects.requireNonNull(role, "role");
    String fresh = JoinToken.generate(rootDigest).value();
    return role == NodeRole.MANAGER
        ? tokens.toBuilder().setManager(fresh).build()
        : tokens.toBuilder().setWorker(fresh).build();
  }

  /** The cluster's current token for the role. */
  public static String of(JoinTokens tokens, NodeRole role) {
    return role == NodeRole.MANAGER ? tokens.getManager() : tokens.getWorker();
  }

  /**
   * The role the presented token admits, or empty if it is neither current token. Both tokens are
   * always compared, in constant time, so that timing reveals neither which one nearly matched nor
   * how closely.
   */
  public static Optional<NodeRole> roleOf(JoinTokens tokens, JoinToken presented) {
    boolean worker = matches(tokens.getWorker(), presented);
    boolean manager = matches(tokens.getManager(), presented);
    if (manager) {
      return Optional.of(NodeRole.MANAGER);
    }
    return worker ? Optional.of(NodeRole.WORKER) : Optional.empty();
  }

  private static boolean matches(String stored, JoinToken presented) {
    if (stored.isEmpty()) {
      // No token of this kind was ever set: nothing can match it.
      return false;
    }
    try {
      return JoinToken.parse(stored).matches(presented);
    } catch (IllegalArgumentException e) {
      // A corrupt stored token admits no one; rotating it repairs the cluster.
      return false;
    }
  }
}
