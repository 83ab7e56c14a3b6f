package io.corral.daemon;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a daemon must remember about its membership to come back as the same node after a restart:
 * the cluster, its node id and role, and where it and the managers listen. The key and certificates
 * live next to it.
 *
 * @param clusterId the cluster this node belongs to
 * @param nodeId this node's id (the CN of its certificate)
 * @param manager whether this node runs a Raft member
 * @param listenAddr host:port the cluster API binds to (managers)
 * @param advertiseAddr host:port other nodes reach this node's cluster API at
 * @param raftAddr host:port of this node's Raft endpoint (managers)
 * @param managers cluster API addresses of the managers, last known
 */
public record NodeState(
    String clusterId,
    String nodeId,
    boolean manager,
    String listenAddr,
    String advertiseAddr,
    String raftAddr,
    List<String> managers) {

  static final String FILE = "node.properties";

  public NodeState {
    managers = List.copyOf(managers);
  }

  public NodeState withManagers(List<String> addrs) {
    return new NodeState(clusterId, nodeId, manager, listenAddr, advertiseAddr, raftAddr, addrs);
  }

  public NodeState withManager(boolean isManager) {
    return new NodeState(
        clusterId, nodeId, isManager, listenAddr, advertiseAddr, raftAddr, managers);
  }

  /** Writes the state atomically: a crash leaves the old file or the new one, never half of one. */
  public void save(Path dataDir) throws IOException {
    Properties p = new Properties();
    p.setProperty("cluster.id", clusterId);
    p.setProperty("node.id", nodeId);
    p.setProperty("role", manager ? "manager" : "worker");
    p.setProperty("listen.addr", listenAddr);
    p.setProperty("advertise.addr", advertiseAddr);
    p.setProperty("raft.addr", raftAddr);
    p.setProperty("managers", String.join(",", managers));
    Path tmp = dataDir.resolve(FILE + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(w, "Corral node state; written by the daemon");
    }
    Files.move(
        tmp,
        dataDir.resolve(FILE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  public static Optional<NodeState> load(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    String managers = p.getProperty("managers", "");
    return Optional.of(
        new NodeState(
            required(p, "cluster.id", file),
            required(p, "node.id", file),
            "manager".equals(p.getProperty("role")),
            p.getProperty("listen.addr", ""),
            p.getProperty("advertise.addr", ""),
            p.getProperty("raft.addr", ""),
            managers.isBlank() ? List.of() : Arrays.asList(managers.split(","))));
  }

  public static void delete(Path dataDir) throws IOException {
    Files.deleteIfExists(dataDir.resolve(FILE));
  }

  private static String required(Properties p, String key, Path file) throws IOException {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IOException(
          file
              + ": missing "
              + key
              + "; the node state is damaged. Move the data dir away "
              + "and join the cluster again.");
    }
    return v;
  }
}
