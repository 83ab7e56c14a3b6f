package io.corral.manager;

import io.corral.api.Cluster;
import io.corral.manager.ca.CaService;
import io.corral.manager.controlapi.ControlService;
import io.corral.manager.controller.ControllerLoop;
import io.corral.manager.dispatcher.Dispatcher;
import io.corral.manager.dispatcher.RemoteAddress;
import io.corral.manager.logbroker.ForwardedCall;
import io.corral.manager.logbroker.LeaderForwarder;
import io.corral.manager.logbroker.LogBroker;
import io.corral.manager.logbroker.ServiceLogs;
import io.corral.manager.membership.MembershipService;
import io.corral.manager.orchestrator.Orchestration;
import io.corral.manager.placement.PlacementConstraints;
import io.corral.manager.role.RoleManager;
import io.corral.manager.rpc.Authorizer;
import io.corral.manager.scheduler.SchedulerLoop;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.RaftStore;
import io.corral.manager.store.RaftStoreConfig;
import io.corral.manager.store.RaftTuning;
import io.corral.manager.store.StorePeer;
import io.corral.manager.tls.ClusterTrustManager;
import io.corral.manager.tls.GrpcTls;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerPolicy;
import io.corral.manager.tls.RenewableKeyManager;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a manager runs besides the worker agent: its Raft member of the store, and the cluster
 * API (Control, Dispatcher, CA, Raft membership) over mutual TLS on its listen address.
 */
public final class ManagerNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ManagerNode.class);

  /**
   * How to start a manager.
   *
   * @param identity this node's key and manager certificate
   * @param dataDir where the Raft log and snapshots live (under {@code raft/})
   * @param listenAddr host:port the cluster API binds to
   * @param raftSelf this node's Raft member (id = node id, its Raft host:port)
   * @param members the group to start with: just this node for a new cluster, the existing members
   *     plus this node when joining; ignored when the data dir already holds a group
   */
  public record Config(
      NodeIdentity identity,
      Path dataDir,
      InetSocketAddress listenAddr,
      StorePeer raftSelf,
      List<StorePeer> members,
      RaftTuning tuning) {}

  private final RaftStore store;
  private final Server server;
  private final Dispatcher dispatcher;
  private final RoleManager roles;
  private final ControlService control;
  private final RenewableKeyManager keyManager;
  private final Orchestration orchestration;
  private final ControllerLoop scheduler;
  private final LogBroker logBroker;
  private final ServiceLogs serviceLogs;

  private ManagerNode(
      RaftStore store,
      Server server,
      Dispatcher dispatcher,
      RoleManager roles,
      ControlService control,
      RenewableKeyManager keyManager,
      Orchestration orchestration,
      ControllerLoop scheduler,
      LogBroker logBroker,
      ServiceLogs serviceLogs) {
    this.keyManager = keyManager;
    this.orchestration = orchestration;
    this.scheduler = scheduler;
    this.logBroker = logBroker;
    this.serviceLogs = serviceLogs;
    this.store = store;
    this.server = server;
    this.dispatcher = dispatcher;
    this.roles = roles;
    this.control = control;
  }

  public static ManagerNode start(Config config) throws IOException {
    NodeIdentity identity = config.identity();
    String clusterId = identity.clusterId();
    // One key manager for Raft and the cluster API, so that a renewed certificate reaches both.
    RenewableKeyManager keyManager = new RenewableKeyManager(identity);
    // Raft traffic: only managers of this cluster.
    ClusterTrustManager raftTrust =
        new ClusterTrustManager(
            identity.rootCertificate(),
            PeerPolicy.requireRole(NodeRole.MANAGER).and(PeerPolicy.requireCluster(clusterId)));
    RaftStore store =
        RaftStore.start(
            new RaftStoreConfig(
                clusterId,
                config.raftSelf(),
                config.members(),
                config.dataDir(),
                keyManager,
                raftTrust,
                config.tuning()));
    Dispatcher dispatcher = null;
    RoleManager roles = null;
    Orchestration orchestration = null;
    ControllerLoop scheduler = null;
    LogBroker logBroker = null;
    ServiceLogs serviceLogs = null;
    try {
      // Logs are brokered by the leader; a follower relays `service logs` there with its own
      // certificate.
      logBroker = new LogBroker(() -> Authorizer.caller().nodeId(), store::isLeader);
      SslContext toManagers = GrpcTls.clientContext(keyManager, raftTrust);
      serviceLogs =
          new ServiceLogs(
              store,
              store,
              logBroker,
              new LeaderForwarder(
                  store,
                  store,
                  addr -> NettyChannelBuilder.forTarget(addr).sslContext(toManagers).build()));
      ControlService control = new ControlService(store, store, serviceLogs);
      dispatcher =
          new Dispatcher(store, store, () -> Authorizer.caller().nodeId(), Clock.systemUTC());
      MembershipService membership =
          new MembershipService(
              clusterId,
              store,
              store,
              new MembershipService.GroupMembership() {
                @Override
                public void add(StorePeer peer) {
                  store.client().addMember(peer);
                }

                @Override
                public void remove(String id) {
                  store.client().removeMember(id);
                }
              },
              () -> Authorizer.caller().nodeId());
      // The cluster API: joiners without a certificate reach the CA only. Removed nodes are refused
      // by the
      // Authorizer rather than in the handshake, so that they get a message saying why.
      ClusterTrustManager apiTrust =
          new ClusterTrustManager(identity.rootCertificate(), PeerPolicy.requireCluster(clusterId));
      roles =
          new RoleManager(
              store,
              store,
              new RoleManager.GroupChanges() {
                @Override
                public void remove(String id) {
                  store.client().removeMember(id);
                }

                @Override
                public void transferLeadership(String toId) {
                  store.client().transferLeadership(toId);
                }
              });
      Server server =
          NettyServerBuilder.forAddress(config.listenAddr())
              .sslContext(GrpcTls.serverContext(keyManager, apiTrust))
              .intercept(new RemoteAddress())
              .intercept(new Authorizer(() -> removedNodes(store)))
              .intercept(new ForwardedCall())
              .addService(control)
              .addService(dispatcher)
              .addService(logBroker)
              .addService(membership)
              .addService(new CaService(store).ca())
              .addService(new CaService(store).nodeCa())
              .permitKeepAliveTime(5, TimeUnit.SECONDS)
              .build()
              .start();
      LOG.info("cluster API listening on {}", config.listenAddr());
      // The leader's controllers: they idle on followers and take over from the store when this one
      // leads.
      PlacementConstraints constraints = new PlacementConstraints();
      orchestration =
          Orchestration.start(
              store,
              store::isLeader,
              Clock.systemUTC(),
              new Orchestration.Settings(
                  ControllerLoop.Timing.DEFAULT,
                  constraints,
                  Orchestration.Settings.DEFAULT.networks()));
      scheduler =
          SchedulerLoop.start(
              store,
              store::isLeader,
              Clock.systemUTC(),
              constraints,
              ControllerLoop.Timing.DEFAULT);
      return new ManagerNode(
          store,
          server,
          dispatcher,
          roles,
          control,
          keyManager,
          orchestration,
          scheduler,
          logBroker,
          serviceLogs);
    } catch (IOException | RuntimeException e) {
      if (scheduler != null) {
        scheduler.close();
      }
      if (orchestration != null) {
        orchestration.close();
      }
      if (serviceLogs != null) {
        serviceLogs.close();
      }
      if (logBroker != null) {
        logBroker.close();
      }
      if (dispatcher != null) {
        dispatcher.close();
      }
      if (roles != null) {
        roles.close();
      }
      store.close();
      throw e;
    }
  }

  private static Set<String> removedNodes(RaftStore store) {
    return store.view(tx -> tx.list(ObjectKind.CLUSTER)).stream()
        .findFirst()
        .map(Cluster::getBlacklistedCertificatesMap)
        .map(m -> Set.copyOf(m.keySet()))
        .orElse(Set.of());
  }

  /** Presents a renewed certificate (same node, same role) from the next TLS handshake on. */
  public void useIdentity(NodeIdentity renewed) {
    keyManager.use(renewed);
  }

  public RaftStore store() {
    return store;
  }

  /** The Control API, also served on the daemon's local socket. */
  public ControlService control() {
    return control;
  }

  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return store.awaitReady(timeout);
  }

  @Override
  public void close() {
    scheduler.close();
    orchestration.close();
    server.shutdownNow();
    serviceLogs.close();
    logBroker.close();
    roles.close();
    dispatcher.close();
    store.close();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
