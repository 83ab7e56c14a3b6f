package io.corral.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a daemon keeps its files under {@code --data-dir} (node state, certificates, Raft data; the
 * worker keeps task state under {@code tasks/}), and their deletion when the node leaves its
 * cluster or stops being a manager.
 */
record DataDir(Path root) {

  /** The node's key, certificate and the cluster's root CA certificate. */
  Path certificates() {
    return root.resolve("certificates");
  }

  /** This manager's Raft log and snapshots. */
  Path raft() {
    return root.resolve("raft");
  }

  /**
   * Deletes everything that ties this node to its cluster: node state, certificates and Raft data.
   */
  void forgetCluster() throws IOException {
    NodeState.delete(root);
    deleteTree(certificates());
    deleteTree(raft());
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
