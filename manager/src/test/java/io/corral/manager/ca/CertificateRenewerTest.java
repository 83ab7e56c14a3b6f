package io.corral.manager.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.CAGrpc;
import io.corral.api.Cluster;
import io.corral.api.GetRootCACertificateRequest;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.tls.ClusterTrustManager;
import io.corral.manager.tls.GrpcTls;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerPolicy;
import io.corral.manager.tls.RenewableKeyManager;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic renewal against a real CA service, and the key manager that serves renewed
 * certificates.
 */
class CertificateRenewerTest {

  private CaFixture fixture;

  @BeforeEach
  void start() {
    fixture = CaFixture.start();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  /**
   * Certificates of ten seconds (plus the CA's minute of clock skew) are past half their life when
   * issued.
   */
  private void issueShortLivedCertificates() {
    fixture
        .store()
        .update(
            tx -> {
              Cluster c = tx.list(ObjectKind.CLUSTER).get(0);
              Cluster.Builder b = c.toBuilder();
              b.getSpecBuilder()
                  .getCaConfigBuilder()
                  .setNodeCertExpiry(com.google.protobuf.Duration.newBuilder().setSeconds(10));
              tx.update(b.build());
            });
  }

  private NodeIdentity renewAtTheCa(NodeIdentity current) throws InterruptedException {
    ManagedChannel channel = fixture.channel(current);
    try {
      return CaClient.renew(channel, current);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aCertificatePastItsRenewalPointIsRenewedAgainAndAgainKeepingNodeAndRole() throws Exception {
    NodeIdentity worker = fixture.node("worker-1", NodeRole.WORKER);
    issueShortLivedCertificates();
    AtomicReference<NodeIdentity> current = new AtomicReference<>(renewAtTheCa(worker));
    List<NodeIdentity> installed = new CopyOnWriteArrayList<>();
    try (CertificateRenewer renewer =
        new CertificateRenewer(
                current::get,
                this::renewAtTheCa,
                renewed -> {
                  installed.add(renewed);
                  current.set(renewed);
                },
                new Random(1),
                Duration.ofMillis(50))
            .reschedule()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> installed.size() >= 3);
    }
    Set<BigInteger> serials = ConcurrentHashMap.newKeySet();
    for (NodeIdentity id : installed) {
      assertThat(id.nodeId()).isEqualTo("worker-1");
      assertThat(id.role()).isEqualTo(NodeRole.WORKER);
      assertThat(id.clusterId()).isEqualTo(CaFixture.CLUSTER_ID);
      serials.add(id.certificate().getSerialNumber());
    }
    assertThat(serials).hasSize(installed.size());
  }

  @Test
  void failedAttemptsAreRetriedUntilOneSucceeds() throws Exception {
    NodeIdentity worker = fixture.node("worker-3", NodeRole.WORKER);
    issueShortLivedCertificates();
    NodeIdentity shortLived = renewAtTheCa(worker);
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<NodeIdentity> installed = new AtomicReference<>();
    try (CertificateRenewer renewer =
        new CertificateRenewer(
                () -> shortLived,
                id -> {
                  if (attempts.incrementAndGet() < 3) {
                    throw new java.io.IOException("no manager reachable");
                  }
                  return renewAtTheCa(id);
                },
                installed::set,
                new Random(3),
                Duration.ofMillis(20))
            .reschedule()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> installed.get() != null);
    }
    assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
    assertThat(installed.get().nodeId()).isEqualTo("worker-3");
  }

  @Test
  void aRenewalThatChangesTheRoleIsNotInstalled() throws Exception {
    NodeIdentity worker = fixture.node("worker-4", NodeRole.WORKER);
    issueShortLivedCertificates();
    NodeIdentity shortLived = renewAtTheCa(worker);
    NodeIdentity asManager = fixture.node("manager-9", NodeRole.MANAGER);
    AtomicInteger attempts = new AtomicInteger();
    List<NodeIdentity> installed = new CopyOnWriteArrayList<>();
    try (CertificateRenewer renewer =
        new CertificateRenewer(
                () -> shortLived,
                id -> {
                  attempts.incrementAndGet();
                  return asManager;
                },
                installed::add,
                new Random(4),
                Duration.ofMillis(20))
            .reschedule()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> attempts.get() >= 2);
    }
    assertThat(installed).isEmpty();
  }

  @Test
  void aServerOnARenewableKeyManagerPresentsTheRenewedCertificateToNewConnections()
      throws Exception {
    NodeIdentity first = fixture.node("server-1", NodeRole.MANAGER);
    NodeIdentity second = renewAtTheCa(first);
    RenewableKeyManager keyManager = new RenewableKeyManager(first);
    ClusterTrustManager trust = new ClusterTrustManager(first.rootCertificate(), PeerPolicy.any());
    io.grpc.Server server =
        io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
                new java.net.InetSocketAddress("127.0.0.1", 0))
            .sslContext(GrpcTls.serverContext(keyManager, trust))
            .addService(new CaService(fixture.store()).ca())
            .build()
            .start();
    try {
      assertThat(presentedSerial(server.getPort()))
          .isEqualTo(first.certificate().getSerialNumber());
      keyManager.use(second);
      assertThat(presentedSerial(server.getPort()))
          .isEqualTo(second.certificate().getSerialNumber());
    } finally {
      server.shutdownNow();
    }
  }

  private static BigInteger presentedSerial(int port) {
    GrpcTls.Bootstrap bootstrap = GrpcTls.bootstrapClientContext();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(bootstrap.context()).build();
    try {
      CAGrpc.newBlockingStub(channel)
          .getRootCACertificate(GetRootCACertificateRequest.getDefaultInstance());
      return bootstrap.presentedChain().get(0).getSerialNumber();
    } finally {
      channel.shutdownNow();
    }
  }
}
