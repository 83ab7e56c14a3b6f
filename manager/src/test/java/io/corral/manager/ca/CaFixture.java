package io.corral.manager.ca;

import com.google.protobuf.ByteString;
import io.corral.api.BlacklistedCertificate;
import io.corral.api.Certificate;
import io.corral.api.Cluster;
import io.corral.api.ClusterSpec;
import io.corral.api.IssuanceStatus;
import io.corral.api.Node;
import io.corral.api.NodeSpec;
import io.corral.manager.rpc.Authorizer;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import io.corral.manager.tls.GrpcTls;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerPolicy;
import io.corral.manager.tls.Pem;
import io.corral.manager.tls.TlsMaterial;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;

/**
 * Test fixture: a cluster (root CA, join tokens) in an {@link InMemoryStore}, and one manager
 * serving the CA services plus any test services behind the {@link Authorizer}, over real TLS on
 * 127.0.0.1.
 */
public final class CaFixture implements AutoCloseable {

  public static final String CLUSTER_ID = "test-cluster";
  public static final String MANAGER_ID = "manager-0";

  private final RootCA ca;
  private final Store store = new InMemoryStore();
  private final NodeIdentity manager;
  private final Server server;
  private final AtomicReference<String> lastProtocol = new AtomicReference<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  private CaFixture(Map<String, Authorizer.Access> rules, BindableService... services) {
    ca = RootCA.create(CLUSTER_ID);
    store.update(
        tx ->
            tx.create(
                Cluster.newBuilder()
                    .setId(CLUSTER_ID)
                    .setSpec(
                        ClusterSpec.newBuilder()
                            .setAnnotations(
                                io.corral.api.Annotations.newBuilder().setName("default")))
                    .setRootCa(
                        io.corral.api.RootCA.newBuilder()
                            .setCaCert(ByteString.copyFromUtf8(ca.certPem()))
                            .setCaKey(ByteString.copyFromUtf8(ca.keyPem()))
                            .setCaCertHash(ca.digest())
                            .setJoinTokens(ClusterTokens.create(ca.digest())))
                    .build()));
    manager = node(MANAGER_ID, NodeRole.MANAGER);
    TlsMaterial tls =
        TlsMaterial.of(
            manager,
            PeerPolicy.requireCluster(CLUSTER_ID)
                .and(PeerPolicy.rejectRemoved(RemovedNodes.of(store))));
    CaService caService = new CaService(store);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(GrpcTls.serverContext(manager, tls.trustManager()))
            .intercept(new Authorizer(rules, RemovedNodes.of(store)))
            // added last, so it runs first and sees every call, even refused ones
            .intercept(new ProtocolRecorder())
            .addService(caService.ca())
            .addService(caService.nodeCa());
    for (BindableService service : services) {
      builder.addService(service);
    }
    try {
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A manager serving the CA with the default access rules, plus the given services. */
  public static CaFixture start(BindableService... services) {
    return new CaFixture(Authorizer.defaultRules(), services);
  }

  /** A manager serving the CA with the given access rules, plus the given services. */
  public static CaFixture start(Map<String, Authorizer.Access> rules, BindableService... services) {
    return new CaFixture(rules, services);
  }

  public RootCA ca() {
    return ca;
  }

  public Store store() {
    return store;
  }

  public NodeIdentity manager() {
    return manager;
  }

  /** host:port of the manager's cluster API. */
  public String addr() {
    return "127.0.0.1:" + server.getPort();
  }

  public String workerToken() {
    return cluster().getRootCa().getJoinTokens().getWorker();
  }

  public String managerToken() {
    return cluster().getRootCa().getJoinTokens().getManager();
  }

  public Cluster cluster() {
    return store.view(tx -> tx.list(ObjectKind.CLUSTER).get(0));
  }

  public List<Node> nodes() {
    return store.view(tx -> tx.list(ObjectKind.NODE));
  }

  /** The TLS protocol of the latest call the server received. */
  public String lastProtocol() {
    return lastProtocol.get();
  }

  /** A node identity issued by the cluster CA, with its node object in the store. */
  public NodeIdentity node(String nodeId, NodeRole role) {
    NodeIdentity identity = TestPki.node(ca, nodeId, role);
    io.corral.api.NodeRole protoRole = CaService.proto(role);
    store.update(
        tx ->
            tx.create(
                Node.newBuilder()
                    .setId(nodeId)
                    .setSpec(
                        NodeSpec.newBuilder()
                            .setDesiredRole(protoRole)
                            .setMembership(NodeSpec.Membership.ACCEPTED))
                    .setRole(protoRole)
                    .setCertificate(
                        Certificate.newBuilder()
                            .setRole(protoRole)
                            .setCn(nodeId)
                            .setStatus(
                                IssuanceStatus.newBuilder().setState(IssuanceStatus.State.ISSUED))
                            .setCertificate(
                                ByteString.copyFromUtf8(Pem.certificate(identity.certificate()))))
                    .build()));
    return identity;
  }

  /** Removes a node as `node rm` does: its certificate is blacklisted and its object deleted. */
  public void remove(String nodeId) {
    store.update(
        tx -> {
          Cluster cluster = tx.list(ObjectKind.CLUSTER).get(0);
          tx.update(
              cluster.toBuilder()
                  .putBlacklistedCertificates(nodeId, BlacklistedCertificate.getDefaultInstance())
                  .build());
          if (tx.get(ObjectKind.NODE, nodeId).isPresent()) {
            tx.delete(ObjectKind.NODE, nodeId);
          }
        });
  }

  /** A channel presenting the identity and accepting only a manager of the cluster. */
  public ManagedChannel channel(NodeIdentity identity) {
    return channel(GrpcTls.clientContext(identity));
  }

  /** A channel without client certificate that accepts only a manager of the cluster. */
  public ManagedChannel anonymousChannel() {
    return channel(GrpcTls.anonymousClientContext(ca.certificate()));
  }

  public ManagedChannel channel(SslContext context) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(addr()).sslContext(context).build();
    channels.add(channel);
    return channel;
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  private final class ProtocolRecorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      lastProtocol.set(session == null ? null : session.getProtocol());
      return next.startCall(call, headers);
    }
  }
}
