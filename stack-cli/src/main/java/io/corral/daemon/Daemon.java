package io.corral.daemon;

import io.corral.api.InfoResponse;
import io.corral.api.Node;
import io.corral.api.NodeSpec;
import io.corral.cli.VersionInfo;
import io.corral.common.RandomIds;
import io.corral.manager.ManagerNode;
import io.corral.manager.bootstrap.ClusterBootstrap;
import io.corral.manager.ca.CaClient;
import io.corral.manager.ca.RootCA;
import io.corral.manager.store.StorePeer;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeKeys;
import io.corral.manager.tls.NodeRole;
import io.corral.worker.WorkerNode;
import io.corral.worker.agent.Agent;
import io.corral.worker.agent.NodeDescriber;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One machine's Corral daemon: remembers which cluster this node belongs to, runs the worker
 * ({@link WorkerNode}) always and the manager ({@link ManagerRole}) when the node is a manager, and
 * carries out `swarm init|join|leave`. Its certificates ({@link NodeCertificates}), role changes
 * ({@link RoleChanges}) and files ({@link DataDir}) each have a class of their own.
 */
public final class Daemon implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  private final DaemonConfig config;
  private final DataDir dataDir;
  private final NodeCertificates certificates;
  private final ManagerRole managers;
  private final RoleChanges roleChanges;
  private volatile NodeState state;
  private volatile WorkerNode worker;
  private volatile String message = "";
  private final LocalApi localApi;

  public Daemon(DaemonConfig config) throws IOException {
    this.config = config;
    this.dataDir = new DataDir(config.dataDir());
    Files.createDirectories(config.dataDir());
    this.localApi = new LocalApi(config.socket(), this);
    this.certificates = new NodeCertificates(dataDir.certificates());
    this.managers = new ManagerRole(config.dataDir(), certificates, localApi);
    this.roleChanges = new RoleChanges(this, dataDir, certificates, managers);
  }

  /** Comes back as the node the data dir says, if any, and starts serving the local socket. */
  public Daemon start() throws IOException, InterruptedException {
    Optional<NodeState> saved = NodeState.load(config.dataDir());
    if (saved.isPresent()) {
      if (certificates.load().isEmpty()) {
        throw new IOException(
            "the data dir "
                + config.dataDir()
                + " has a node state but no certificates; move it "
                + "away and join again");
      }
      resume(saved.get());
    }
    localApi.start();
    LOG.info("daemon ready; local API on unix://{}", config.socket());
    return this;
  }

  private void resume(NodeState s) throws IOException {
    this.state = s;
    LOG.info(
        "resuming as node {} ({}) of cluster {}",
        s.nodeId(),
        s.manager() ? "manager" : "worker",
        s.clusterId());
    if (s.manager()) {
      StorePeer self = new StorePeer(s.nodeId(), s.raftAddr());
      managers.start(
          self, List.of(self), Addresses.withPort(s.listenAddr(), DaemonConfig.DEFAULT_API_PORT));
      // Quorum may need the other managers, which may still be starting: do not block the daemon on
      // it.
    }
    startWorker();
  }

  synchronized InitResult init(InitParams p) throws IOException, InterruptedException {
    requireNotInCluster();
    String listen =
        Addresses.withPort(
            p.listenAddr().isBlank() ? config.listenAddr() : p.listenAddr(),
            DaemonConfig.DEFAULT_API_PORT);
    String advertiseHost = advertiseHost(p.advertiseAddr(), listen);
    int apiPort = Addresses.port(listen);
    String apiAddr = advertiseHost + ":" + apiPort;
    String raftAddr = advertiseHost + ":" + (apiPort + 1);
    String clusterId = RandomIds.newId();
    String nodeId = RandomIds.newId();
    RootCA ca = RootCA.create(clusterId);
    KeyPair keys = NodeKeys.generate();
    NodeIdentity id =
        new NodeIdentity(
            keys.getPrivate(),
            ca.issue(
                NodeKeys.csr(keys, nodeId),
                nodeId,
                NodeRole.MANAGER,
                clusterId,
                p.settings().certExpiry(),
                List.of(advertiseHost)),
            ca.certificate());
    certificates.use(id);
    StorePeer self = new StorePeer(nodeId, raftAddr);
    try {
      managers.start(self, List.of(self), listen);
      ManagerNode manager = managers.awaitElected();
      ClusterBootstrap.write(
          manager.store(), ca, id, describe(), raftAddr, apiAddr, advertiseHost, p.settings());
      saveState(
          new NodeState(clusterId, nodeId, true, listen, apiAddr, raftAddr, List.of(apiAddr)));
    } catch (IOException | RuntimeException e) {
      forget();
      throw e;
    }
    startWorker();
    LOG.info("initialised cluster {} as node {}", clusterId, nodeId);
    return new InitResult(nodeId, clusterId, apiAddr);
  }

  synchronized JoinResult join(JoinParams p) throws IOException, InterruptedException {
    requireNotInCluster();
    String remote = Addresses.withPort(p.remoteAddr(), DaemonConfig.DEFAULT_API_PORT);
    String listen =
        Addresses.withPort(
            p.listenAddr().isBlank() ? config.listenAddr() : p.listenAddr(),
            DaemonConfig.DEFAULT_API_PORT);
    NodeIdentity id = CaClient.join(remote, p.token(), p.availability());
    String advertiseHost = advertiseHost(p.advertiseAddr(), listen);
    int apiPort = Addresses.port(listen);
    String apiAddr = advertiseHost + ":" + apiPort;
    String raftAddr = advertiseHost + ":" + (apiPort + 1);
    certificates.use(id);
    boolean isManager = id.role() == NodeRole.MANAGER;
    List<String> known = new ArrayList<>(List.of(remote));
    try {
      if (isManager) {
        managers
            .join(remote, id, listen, apiAddr, raftAddr)
            .forEach(
                a -> {
                  if (!known.contains(a)) {
                    known.add(a);
                  }
                });
      }
      saveState(
          new NodeState(id.clusterId(), id.nodeId(), isManager, listen, apiAddr, raftAddr, known));
    } catch (IOException | RuntimeException e) {
      forget();
      throw e;
    }
    startWorker();
    LOG.info(
        "joined cluster {} as {} node {}",
        id.clusterId(),
        isManager ? "manager" : "worker",
        id.nodeId());
    return new JoinResult(id.nodeId(), isManager);
  }

  synchronized void leave(boolean force) throws IOException {
    NodeState s = state;
    if (s == null) {
      throw Status.FAILED_PRECONDITION
          .withDescription("This node is not part of a swarm")
          .asRuntimeException();
    }
    if (s.manager()) {
      managers.leaveGroup(s, force);
    }
    forget();
    LOG.info("left cluster {}", s.clusterId());
  }

  /** Stops everything cluster-related and deletes this node's identity, state and Raft data. */
  private void forget() throws IOException {
    certificates.stopRenewing();
    WorkerNode w = worker;
    worker = null;
    if (w != null) {
      // Like docker: leaving the swarm removes the node's tasks; nobody would manage them
      // afterwards.
      w.closeAndRemoveAllTasks();
    }
    managers.stop();
    dataDir.forgetCluster();
    certificates.forget();
    state = null;
    message = "";
  }

  InfoResponse info() {
    NodeState s = state;
    InfoResponse.Builder b = InfoResponse.newBuilder().setMessage(message);
    if (s == null) {
      return b.setState(InfoResponse.LocalState.INACTIVE).build();
    }
    return b.setState(
            connectedTo() != null
                ? InfoResponse.LocalState.ACTIVE
                : InfoResponse.LocalState.PENDING)
        .setNodeId(s.nodeId())
        .setClusterId(s.clusterId())
        .setManager(s.manager())
        .addAllManagerAddrs(s.managers())
        .setNodeAddr(s.advertiseAddr())
        .build();
  }

  /** The Control API when this node is a manager. */
  Optional<ManagerNode> manager() {
    return managers.current();
  }

  /** How this daemon was started. */
  DaemonConfig config() {
    return config;
  }

  /** The executor tasks run with now ({@code docker} or {@code process}); empty outside a swarm. */
  Optional<String> executorName() {
    return Optional.ofNullable(worker).map(WorkerNode::executorName);
  }

  /** This node's membership as last saved, or null outside a cluster. */
  NodeState state() {
    return state;
  }

  /** Saves and uses the node's new membership state. */
  void saveState(NodeState next) throws IOException {
    next.save(config.dataDir());
    state = next;
  }

  /** The manager the worker's current session runs against, or null. */
  String connectedTo() {
    WorkerNode w = worker;
    return w == null ? null : w.connectedTo();
  }

  /** A problem `corral info` shows until the node leaves its cluster. */
  void reportProblem(String problem) {
    message = problem;
  }

  /**
   * The manager to renew the certificate at: the one the worker is connected to, else the first
   * known.
   */
  private String renewalManager() {
    NodeState s = state;
    if (s == null) {
      return null;
    }
    String connected = connectedTo();
    return connected != null ? connected : s.managers().get(0);
  }

  private void startWorker() {
    certificates.startRenewing(this::renewalManager, managers::useIdentity);
    NodeState s = state;
    worker =
        WorkerNode.start(
            new WorkerNode.Config(
                config.executor(),
                config.dataDir(),
                config.imageRoot(),
                certificates.current().nodeId(),
                describe(),
                certificates::channel,
                s.managers(),
                new Agent.Listener() {
                  @Override
                  public void onNode(Node node) {
                    roleChanges.onNode(node);
                  }

                  @Override
                  public void onManagers(List<String> addrs) {
                    try {
                      saveState(state.withManagers(addrs));
                    } catch (IOException | RuntimeException e) {
                      LOG.warn("could not save the manager list: {}", e.toString());
                    }
                  }

                  @Override
                  public void onRejected(String reason) {
                    message = reason;
                    LOG.error("the cluster refused this node: {}", reason);
                  }
                },
                Addresses.host(s.advertiseAddr())));
  }

  private void stopRoles() {
    certificates.stopRenewing();
    WorkerNode w = worker;
    worker = null;
    if (w != null) {
      w.close();
    }
    managers.stop();
  }

  private io.corral.api.NodeDescription describe() {
    return NodeDescriber.describe(config.hostname(), VersionInfo.version());
  }

  private void requireNotInCluster() {
    if (state != null) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "This node is already part of a swarm. Use \"corral swarm "
                  + "leave\" to leave this swarm and join another one.")
          .asRuntimeException();
    }
  }

  /**
   * Docker's rule: the advertise address given, else the listen host when it is a concrete address.
   */
  private String advertiseHost(String requested, String listen) {
    String a = requested.isBlank() ? config.advertiseAddr() : requested;
    if (a != null && !a.isBlank()) {
      return Addresses.host(a);
    }
    String host = Addresses.host(listen);
    if (!host.equals("0.0.0.0") && !host.equals("::") && !host.isBlank()) {
      return host;
    }
    throw Status.INVALID_ARGUMENT
        .withDescription(
            "could not choose an IP address to advertise since this "
                + "system listens on all addresses - specify one with --advertise-addr")
        .asRuntimeException();
  }

  @Override
  public void close() {
    roleChanges.close();
    localApi.close();
    stopRoles();
  }

  /** What `swarm init` asks for. */
  record InitParams(String listenAddr, String advertiseAddr, ClusterBootstrap.Settings settings) {}

  /** What `swarm init` answers. */
  record InitResult(String nodeId, String clusterId, String advertiseAddr) {}

  /** What `swarm join` asks for. */
  record JoinParams(
      String remoteAddr,
      String token,
      String listenAddr,
      String advertiseAddr,
      NodeSpec.Availability availability) {}

  /** What `swarm join` answers. */
  record JoinResult(String nodeId, boolean manager) {}
}
