package io.corral.testcluster.store;

import io.corral.manager.ca.RootCA;
import io.corral.manager.store.RaftStoreClient;
import io.corral.manager.store.RaftTuning;
import io.corral.manager.store.StorePeer;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeKeys;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerPolicy;
import io.corral.manager.tls.TlsMaterial;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * N store members as separate JVM processes on loopback, with a real cluster CA and mutual TLS:
 * start, kill -9, restart, add and remove members, and a client that talks to the group. For store
 * tests and benchmarks.
 */
public final class StoreCluster implements AutoCloseable {

  private final Path workDir;
  private final String clusterId;
  private final RootCA ca;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final List<StorePeer> founders = new ArrayList<>();
  private final long snapshotThreshold;
  private RaftStoreClient client;

  private StoreCluster(Path workDir, String clusterId, long snapshotThreshold) {
    this.workDir = workDir;
    this.clusterId = clusterId;
    this.ca = RootCA.create(clusterId);
    this.snapshotThreshold = snapshotThreshold;
  }

  /** Prepares identities, ports and data dirs for {@code size} founding members named m1…mN. */
  public static StoreCluster create(Path workDir, int size) throws IOException {
    return create(workDir, size, 10_000);
  }

  public static StoreCluster create(Path workDir, int size, long snapshotThreshold)
      throws IOException {
    StoreCluster c =
        new StoreCluster(
            workDir, "store-cluster-" + Long.toHexString(System.nanoTime()), snapshotThreshold);
    for (int i = 1; i <= size; i++) {
      c.founders.add(c.prepare("m" + i).peer);
    }
    return c;
  }

  private Member prepare(String id) throws IOException {
    Path dir = workDir.resolve(id);
    Files.createDirectories(dir);
    identity(id).save(dir.resolve("identity"));
    Member m = new Member(id, new StorePeer(id, "127.0.0.1:" + freePort()), dir);
    members.put(id, m);
    return m;
  }

  private NodeIdentity identity(String id) {
    KeyPair keys = NodeKeys.generate();
    return new NodeIdentity(
        keys.getPrivate(),
        ca.issue(
            NodeKeys.csr(keys, id),
            id,
            NodeRole.MANAGER,
            clusterId,
            Duration.ofDays(30),
            List.of("127.0.0.1")),
        ca.certificate());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public List<String> ids() {
    return List.copyOf(members.keySet());
  }

  /** Starts every founding member. */
  public void startAll() throws IOException {
    for (StorePeer p : founders) {
      start(p.id());
    }
  }

  /** Starts (or restarts) a member's process with the same data dir. */
  public void start(String id) throws IOException {
    Member m = member(id);
    if (m.process != null && m.process.isAlive()) {
      throw new IllegalStateException(id + " is already running");
    }
    List<StorePeer> group = new ArrayList<>(founders);
    if (group.stream().noneMatch(p -> p.id().equals(id))) {
      group.add(m.peer);
    }
    m.starts++;
    m.log = m.dir.resolve("out-" + m.starts + ".log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBin(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", // as bin/corral: faster start-to-ready on 2 cores
                "-cp",
                System.getProperty("java.class.path"),
                StoreNodeMain.class.getName(),
                "--cluster-id",
                clusterId,
                "--id",
                id,
                "--members",
                String.join(",", group.stream().map(p -> p.id() + "=" + p.address()).toList()),
                "--data-dir",
                m.dir.resolve("data").toString(),
                "--identity-dir",
                m.dir.resolve("identity").toString(),
                "--snapshot-threshold",
                Long.toString(snapshotThreshold)));
    m.process =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(m.log.toFile()).start();
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** kill -9: the member gets no chance to flush or say goodbye. */
  public void kill(String id) throws InterruptedException {
    Member m = member(id);
    if (m.process != null) {
      m.process.destroyForcibly();
      m.process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  public boolean isRunning(String id) {
    Process p = member(id).process;
    return p != null && p.isAlive();
  }

  /**
   * Waits for the member's READY line (it knows a leader and has caught up) and returns how long
   * after its JVM started it became ready.
   */
  public Duration awaitReady(String id, Duration timeout) throws IOException, InterruptedException {
    Member m = member(id);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(m.log)) {
        for (String line : Files.readAllLines(m.log)) {
          if (line.startsWith(StoreNodeMain.READY)) {
            return Duration.ofMillis(
                Long.parseLong(line.substring(StoreNodeMain.READY.length()).trim()));
          }
        }
      }
      if (!m.process.isAlive()) {
        throw new IllegalStateException(
            id
                + " exited with "
                + m.process.exitValue()
                + "; log "
                + m.log
                + ":\n"
                + Files.readString(m.log));
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(id + " not ready within " + timeout + "; log " + m.log);
  }

  /** Adds a new member: starts its process and asks the group to take it in. Returns its id. */
  public String addMember() throws IOException {
    String id = "m" + (members.size() + 1);
    Member m = prepare(id);
    start(id);
    client().addMember(m.peer);
    return id;
  }

  public void removeMember(String id) throws InterruptedException {
    client().removeMember(id);
    kill(id);
  }

  /** The leader, once some member knows one. */
  public Optional<String> leader() {
    return client().leader();
  }

  /** A client with a manager certificate of this cluster, reaching the group through any member. */
  public synchronized RaftStoreClient client() {
    if (client == null) {
      client = newClient(RaftTuning.defaults());
    }
    return client;
  }

  /** Another client, e.g. with a shorter write timeout. */
  public RaftStoreClient newClient(RaftTuning tuning) {
    TlsMaterial tls =
        TlsMaterial.of(
            identity("store-client-" + System.nanoTime()),
            PeerPolicy.requireRole(NodeRole.MANAGER).and(PeerPolicy.requireCluster(clusterId)));
    List<StorePeer> peers = members.values().stream().map(m -> m.peer).toList();
    return RaftStoreClient.connect(clusterId, peers, tls.keyManager(), tls.trustManager(), tuning);
  }

  public Path logOf(String id) {
    return member(id).log;
  }

  private Member member(String id) {
    Member m = members.get(id);
    if (m == null) {
      throw new IllegalArgumentException("no member " + id + "; members are " + members.keySet());
    }
    return m;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    for (Member m : members.values()) {
      if (m.process != null) {
        m.process.destroyForcibly();
      }
    }
    for (Member m : members.values()) {
      if (m.process != null) {
        try {
          m.process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static final class Member {
    final String id;
    final StorePeer peer;
    final Path dir;
    Process process;
    Path log;
    int starts;

    Member(String id, StorePeer peer, Path dir) {
      this.id = id;
      this.peer = peer;
      this.dir = dir;
    }
  }
}
