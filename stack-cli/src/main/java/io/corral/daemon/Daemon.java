package io.corral.daemon;

import io.corral.api.InfoResponse;
import io.corral.api.Node;
import io.corral.api.NodeSpec;
import io.corral.api.RaftJoinRequest;
import io.corral.api.RaftLeaveRequest;
import io.corral.api.RaftMembersRequest;
import io.corral.api.RaftMembersResponse;
import io.corral.api.RaftMembershipGrpc;
import io.corral.cli.VersionInfo;
import io.corral.common.NamedThreads;
import io.corral.common.RandomIds;
import io.corral.manager.ManagerNode;
import io.corral.manager.bootstrap.ClusterBootstrap;
import io.corral.manager.ca.CaClient;
import io.corral.manager.ca.CertificateRenewer;
import io.corral.manager.ca.RootCA;
import io.corral.manager.store.RaftTuning;
import io.corral.manager.store.StorePeer;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeKeys;
import io.corral.manager.tls.NodeRole;
import io.corral.worker.agent.Agent;
import io.corral.worker.agent.CompositeWork;
import io.corral.worker.agent.LogPublisher;
import io.corral.worker.agent.NodeDescriber;
import io.corral.worker.agent.TaskWork;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One machine's Corral daemon: remembers which cluster this node belongs to, runs the worker agent always and
 * the manager (Raft member and cluster API) when the node is a manager, and carries out `swarm init|join|leave`.
 */
public final class Daemon implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final DaemonConfig config;
  private final Path identityDir;
  private final ClusterChannels channels = new ClusterChannels();
  private volatile NodeState state;
  private volatile NodeIdentity identity;
  private volatile ManagerNode manager;
  private volatile Agent agent;
  private TaskExecutor executor;
  /** Task assignments and log subscriptions, run within each of the agent's sessions. */
  private CompositeWork sessionWork;
  private volatile CertificateRenewer renewer;
  private volatile String message = "";
  private final LocalApi localApi;
  private final ExecutorService roleChanges = Executors.newSingleThreadExecutor(NamedThreads.daemon("role-changes"));

  public Daemon(DaemonConfig config) throws IOException {
    this.config = config;
    this.identityDir = config.dataDir().resolve("certificates");
    Files.createDirectories(config.dataDir());
    this.localApi = new LocalApi(config.socket(), this);
  }

  /** Comes back as the node the data dir says, if any, and starts serving the local socket. */
  public Daemon start() throws IOException, InterruptedException {
    Optional<NodeState> saved = NodeState.load(config.dataDir());
    if (saved.isPresent()) {
      NodeIdentity id = NodeIdentity.loadIfPresent(identityDir).orElseThrow(() -> new IOException(
          "the data dir " + config.dataDir() + " has a node state but no certificates; move it away and join again"));
      resume(saved.get(), id);
    }
    localApi.start();
    LOG.info("daemon ready; local API on unix://{}", config.socket());
    return this;
  }

  private void resume(NodeState s, NodeIdentity id) throws IOException, InterruptedException {
    this.identity = id;
    this.state = s;
    LOG.info("resuming as node {} ({}) of cluster {}", s.nodeId(), s.manager() ? "manager" : "worker",
        s.clusterId());
    if (s.manager()) {
      StorePeer self = new StorePeer(s.nodeId(), s.raftAddr());
      startManager(self, List.of(self), Addresses.withPort(s.listenAddr(), DaemonConfig.DEFAULT_API_PORT));
      // Quorum may need the other managers, which may still be starting: do not block the daemon on it.
    }
    startAgent();
  }

  synchronized InitResult init(InitParams p) throws IOException, InterruptedException {
    requireNotInCluster();
    String listen = Addresses.withPort(p.listenAddr().isBlank() ? config.listenAddr() : p.listenAddr(),
        DaemonConfig.DEFAULT_API_PORT);
    String advertiseHost = advertiseHost(p.advertiseAddr(), listen);
    int apiPort = Addresses.port(listen);
    String apiAddr = advertiseHost + ":" + apiPort;
    String raftAddr = advertiseHost + ":" + (apiPort + 1);
    String clusterId = RandomIds.newId();
    String nodeId = RandomIds.newId();
    RootCA ca = RootCA.create(clusterId);
    KeyPair keys = NodeKeys.generate();
    NodeIdentity id = new NodeIdentity(keys.getPrivate(), ca.issue(NodeKeys.csr(keys, nodeId), nodeId,
        NodeRole.MANAGER, clusterId, p.settings().certExpiry(), List.of(advertiseHost)), ca.certificate());
    id.save(identityDir);
    this.identity = id;
    StorePeer self = new StorePeer(nodeId, raftAddr);
    try {
      startManager(self, List.of(self), listen);
      if (!manager.awaitReady(READY_TIMEOUT)) {
        throw Status.UNAVAILABLE.withDescription("the new Raft group did not elect this node within "
            + READY_TIMEOUT.toSeconds() + " s; see the daemon log").asRuntimeException();
      }
      ClusterBootstrap.write(manager.store(), ca, id, describe(), raftAddr, apiAddr, advertiseHost, p.settings());
      NodeState s = new NodeState(clusterId, nodeId, true, listen, apiAddr, raftAddr, List.of(apiAddr));
      s.save(config.dataDir());
      this.state = s;
    } catch (IOException | RuntimeException e) {
      forget();
      throw e;
    }
    startAgent();
    LOG.info("initialised cluster {} as node {}", clusterId, nodeId);
    return new InitResult(nodeId, clusterId, apiAddr);
  }

  synchronized JoinResult join(JoinParams p) throws IOException, InterruptedException {
    requireNotInCluster();
    String remote = Addresses.withPort(p.remoteAddr(), DaemonConfig.DEFAULT_API_PORT);
    String listen = Addresses.withPort(p.listenAddr().isBlank() ? config.listenAddr() : p.listenAddr(),
        DaemonConfig.DEFAULT_API_PORT);
    NodeIdentity id = CaClient.join(remote, p.token(), p.availability());
    String advertiseHost = advertiseHost(p.advertiseAddr(), listen);
    int apiPort = Addresses.port(listen);
    String apiAddr = advertiseHost + ":" + apiPort;
    String raftAddr = advertiseHost + ":" + (apiPort + 1);
    id.save(identityDir);
    this.identity = id;
    boolean isManager = id.role() == NodeRole.MANAGER;
    List<String> managers = new ArrayList<>(List.of(remote));
    try {
      if (isManager) {
        becomeManager(remote, id, listen, apiAddr, raftAddr).forEach(a -> {
          if (!managers.contains(a)) {
            managers.add(a);
          }
        });
      }
      NodeState s = new NodeState(id.clusterId(), id.nodeId(), isManager, listen, apiAddr, raftAddr, managers);
      s.save(config.dataDir());
      this.state = s;
    } catch (IOException | RuntimeException e) {
      forget();
      throw e;
    }
    startAgent();
    LOG.info("joined cluster {} as {} node {}", id.clusterId(), isManager ? "manager" : "worker", id.nodeId());
    return new JoinResult(id.nodeId(), isManager);
  }

  /**
   * Starts this node's Raft member with the group the managers at {@code remote} know, asks them to add it, and
   * waits until it has caught up. Returns the managers' cluster API addresses.
   */
  private List<String> becomeManager(String remote, NodeIdentity id, String listen, String apiAddr,
      String raftAddr) throws IOException, InterruptedException {
    ManagedChannel ch = channels.open(remote, id);
    try {
      RaftMembershipGrpc.RaftMembershipBlockingStub stub = RaftMembershipGrpc.newBlockingStub(ch);
      RaftMembersResponse members = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
          .members(RaftMembersRequest.getDefaultInstance());
      List<StorePeer> group = new ArrayList<>(members.getMembersList().stream()
          .map(m -> new StorePeer(m.getNodeId(), m.getAddr())).toList());
      StorePeer self = new StorePeer(id.nodeId(), raftAddr);
      group.removeIf(p -> p.id().equals(self.id()));
      group.add(self);
      startManager(self, group, listen);
      stub.withDeadlineAfter(60, TimeUnit.SECONDS)
          .join(RaftJoinRequest.newBuilder().setRaftAddr(raftAddr).setApiAddr(apiAddr).build());
      if (!manager.awaitReady(READY_TIMEOUT)) {
        throw Status.UNAVAILABLE.withDescription("joined the Raft group but did not catch up within "
            + READY_TIMEOUT.toSeconds() + " s").asRuntimeException();
      }
      return members.getManagerAddrsList();
    } finally {
      ch.shutdownNow();
    }
  }

  /**
   * Follows a role change decided by the managers: a promoted node renews its certificate as a manager and
   * joins the Raft group; a demoted one, once the leader has taken it out of the group, stops its Raft member
   * and renews its certificate as a worker.
   */
  private synchronized void reconcileRole(Node node) {
    NodeState s = state;
    if (s == null || !node.getId().equals(s.nodeId())) {
      return;
    }
    try {
      if (!s.manager() && node.getSpec().getDesiredRole() == io.corral.api.NodeRole.MANAGER) {
        LOG.info("promoted: renewing the certificate as a manager and joining the Raft group");
        String remote = agent == null || agent.connectedTo() == null ? s.managers().get(0) : agent.connectedTo();
        NodeIdentity renewed = renew(remote, NodeRole.MANAGER);
        List<String> managers = new ArrayList<>(s.managers());
        becomeManager(remote, renewed, s.listenAddr(), s.advertiseAddr(), s.raftAddr()).forEach(a -> {
          if (!managers.contains(a)) {
            managers.add(a);
          }
        });
        NodeState next = s.withManager(true).withManagers(managers);
        next.save(config.dataDir());
        state = next;
      } else if (s.manager() && node.getRole() == io.corral.api.NodeRole.WORKER
          && node.getSpec().getDesiredRole() == io.corral.api.NodeRole.WORKER) {
        LOG.info("demoted: stopping the Raft member and renewing the certificate as a worker");
        String remote = s.managers().stream().filter(a -> !a.equals(s.advertiseAddr())).findFirst()
            .orElseThrow(() -> new IllegalStateException("no other manager known to renew the certificate with"));
        ManagerNode m = manager;
        manager = null;
        localApi.useManager(null);
        if (m != null) {
          m.close();
        }
        deleteTree(config.dataDir().resolve("raft"));
        renew(remote, NodeRole.WORKER);
        NodeState next = s.withManager(false).withManagers(s.managers().stream()
            .filter(a -> !a.equals(s.advertiseAddr())).toList());
        next.save(config.dataDir());
        state = next;
      }
    } catch (Exception e) {
      message = "role change failed: " + e.getMessage();
      LOG.error("could not follow the role change of this node", e);
    }
  }

  /** Renews this node's certificate at a manager; waits until the CA grants the expected role. */
  private NodeIdentity renew(String remote, NodeRole expected) throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 50; attempt++) {
      ManagedChannel ch = channels.open(remote, identity);
      try {
        NodeIdentity renewed = CaClient.renew(ch, identity);
        if (renewed.role() == expected) {
          renewed.save(identityDir);
          identity = renewed;
          CertificateRenewer r = renewer;
          if (r != null) {
            r.reschedule();
          }
          return renewed;
        }
      } finally {
        ch.shutdownNow();
      }
      Thread.sleep(200);
    }
    throw new IOException("the CA did not grant the " + expected + " role");
  }

  synchronized void leave(boolean force) throws IOException {
    NodeState s = state;
    if (s == null) {
      throw Status.FAILED_PRECONDITION.withDescription("This node is not part of a swarm").asRuntimeException();
    }
    if (s.manager() && manager != null) {
      var members = manager.store().members();
      var reachable = manager.store().reachability();
      long othersReachable = members.stream()
          .filter(m -> !m.id().equals(s.nodeId()) && reachable.getOrDefault(m.id(), false)).count();
      int remaining = members.size() - 1;
      boolean losesQuorum = remaining == 0 || othersReachable <= remaining / 2;
      if (losesQuorum && !force) {
        throw Status.FAILED_PRECONDITION.withDescription("You are attempting to leave the swarm on a node that "
            + "is participating as a manager. Removing this node leaves " + othersReachable + " managers out of "
            + remaining + ". Without a Raft quorum your swarm will be inaccessible. The only way to restore a "
            + "swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to "
            + "suppress this message.").asRuntimeException();
      }
      if (remaining > 0) {
        try {
          ManagedChannel ch = channels.open(s.advertiseAddr(), identity);
          try {
            RaftMembershipGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                .leave(RaftLeaveRequest.getDefaultInstance());
          } finally {
            ch.shutdownNow();
          }
        } catch (StatusRuntimeException e) {
          if (!force) {
            throw Status.UNAVAILABLE.withDescription("could not leave the Raft group: "
                + e.getStatus().getDescription() + "; use --force to leave anyway").asRuntimeException();
          }
          LOG.warn("leaving without removing this manager from the Raft group: {}", e.getStatus());
        }
      }
    }
    forget();
    LOG.info("left cluster {}", s.clusterId());
  }

  /** Stops everything cluster-related and deletes this node's identity, state and Raft data. */
  private void forget() throws IOException {
    TaskExecutor tasks = executor;
    executor = null;
    stopRoles();
    if (tasks != null) {
      // Like docker: leaving the swarm removes the node's tasks; nobody would manage them afterwards.
      tasks.removeAllTasks();
      tasks.close();
    }
    NodeState.delete(config.dataDir());
    deleteTree(identityDir);
    deleteTree(config.dataDir().resolve("raft"));
    state = null;
    identity = null;
    message = "";
  }

  InfoResponse info() {
    NodeState s = state;
    InfoResponse.Builder b = InfoResponse.newBuilder().setMessage(message);
    if (s == null) {
      return b.setState(InfoResponse.LocalState.INACTIVE).build();
    }
    Agent a = agent;
    return b.setState(a != null && a.connectedTo() != null ? InfoResponse.LocalState.ACTIVE
            : InfoResponse.LocalState.PENDING)
        .setNodeId(s.nodeId()).setClusterId(s.clusterId()).setManager(s.manager())
        .addAllManagerAddrs(s.managers()).setNodeAddr(s.advertiseAddr()).build();
  }

  /** The Control API when this node is a manager. */
  Optional<ManagerNode> manager() {
    return Optional.ofNullable(manager);
  }

  /** How this daemon was started. */
  DaemonConfig config() {
    return config;
  }

  /** The executor tasks run with now ({@code docker} or {@code process}); empty outside a swarm. */
  Optional<String> executorName() {
    return Optional.ofNullable(executor).map(TaskExecutor::name);
  }

  private void startManager(StorePeer self, List<StorePeer> members, String listen) throws IOException {
    manager = ManagerNode.start(new ManagerNode.Config(identity, config.dataDir(), Addresses.socket(listen), self,
        members, RaftTuning.defaults()));
    localApi.useManager(manager);
  }

  /** A routine renewal: same node, same role, at a manager this node reaches. */
  private NodeIdentity renewAtAManager(NodeIdentity current) throws IOException, InterruptedException {
    NodeState s = state;
    Agent a = agent;
    if (s == null) {
      throw new IOException("this node left the cluster");
    }
    String remote = a != null && a.connectedTo() != null ? a.connectedTo() : s.managers().get(0);
    ManagedChannel ch = channels.open(remote, current);
    try {
      return CaClient.renew(ch, current);
    } finally {
      ch.shutdownNow();
    }
  }

  private synchronized void install(NodeIdentity renewed) throws IOException {
    NodeIdentity now = identity;
    if (now == null || now.role() != renewed.role()) {
      throw new IOException("the node's role changed during the renewal; not installing the certificate");
    }
    renewed.save(identityDir);
    identity = renewed;
    ManagerNode m = manager;
    if (m != null) {
      m.useIdentity(renewed);
    }
  }

  private void startAgent() {
    renewer = new CertificateRenewer(() -> identity, this::renewAtAManager, this::install, new SecureRandom(),
        Duration.ofSeconds(1)).reschedule();
    NodeState s = state;
    // The identity changes when the node is promoted or demoted: open each channel with the current one.
    executor = TaskExecutor.choose(config.executor(), config.dataDir(), config.imageRoot(), identity.nodeId());
    TaskWork taskWork = new TaskWork(executor.runtime());
    sessionWork = new CompositeWork(taskWork, new LogPublisher(executor.runtime(), taskWork.localTasks()));
    agent = new Agent(addr -> channels.open(addr, identity), describe(), s.managers(), new Agent.Listener() {
      @Override
      public void onNode(Node node) {
        roleChanges.execute(() -> reconcileRole(node));
      }

      @Override
      public void onManagers(List<String> addrs) {
        try {
          NodeState next = state.withManagers(addrs);
          next.save(config.dataDir());
          state = next;
        } catch (IOException | RuntimeException e) {
          LOG.warn("could not save the manager list: {}", e.toString());
        }
      }

      @Override
      public void onRejected(String reason) {
        message = reason;
        LOG.error("the cluster refused this node: {}", reason);
      }
    }, sessionWork).start();
  }

  private void stopRoles() {
    if (renewer != null) {
      renewer.close();
      renewer = null;
    }
    if (agent != null) {
      agent.close();
      agent = null;
    }
    if (sessionWork != null) {
      sessionWork.close();
      sessionWork = null;
    }
    if (executor != null) {
      executor.close();
      executor = null;
    }
    if (manager != null) {
      localApi.useManager(null);
      manager.close();
      manager = null;
    }
  }

  private io.corral.api.NodeDescription describe() {
    return NodeDescriber.describe(config.hostname(), VersionInfo.version());
  }

  private void requireNotInCluster() {
    if (state != null) {
      throw Status.FAILED_PRECONDITION.withDescription("This node is already part of a swarm. Use \"corral swarm "
          + "leave\" to leave this swarm and join another one.").asRuntimeException();
    }
  }

  /** Docker's rule: the advertise address given, else the listen host when it is a concrete address. */
  private String advertiseHost(String requested, String listen) {
    String a = requested.isBlank() ? config.advertiseAddr() : requested;
    if (a != null && !a.isBlank()) {
      return Addresses.host(a);
    }
    String host = Addresses.host(listen);
    if (!host.equals("0.0.0.0") && !host.equals("::") && !host.isBlank()) {
      return host;
    }
    throw Status.INVALID_ARGUMENT.withDescription("could not choose an IP address to advertise since this "
        + "system listens on all addresses - specify one with --advertise-addr").asRuntimeException();
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

  @Override
  public void close() {
    roleChanges.shutdownNow();
    localApi.close();
    stopRoles();
  }

  /** What `swarm init` asks for. */
  record InitParams(String listenAddr, String advertiseAddr, ClusterBootstrap.Settings settings) {}

  /** What `swarm init` answers. */
  record InitResult(String nodeId, String clusterId, String advertiseAddr) {}

  /** What `swarm join` asks for. */
  record JoinParams(String remoteAddr, String token, String listenAddr, String advertiseAddr,
      NodeSpec.Availability availability) {}

  /** What `swarm join` answers. */
  record JoinResult(String nodeId, boolean manager) {}
}
