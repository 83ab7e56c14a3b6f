package io.corral.manager.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.CAGrpc;
import io.corral.api.GetRootCACertificateRequest;
import io.corral.api.IssuanceStatus;
import io.corral.api.Node;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.Pem;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Joining and renewing end to end: {@link CaClient} against {@link CaService} over real TLS on
 * loopback.
 */
class CaClientTest {

  private final CaFixture cluster = CaFixture.start();

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void joinsAsWorkerWithTheWorkerToken() throws Exception {
    NodeIdentity id =
        CaClient.join(cluster.addr(), cluster.workerToken(), NodeSpec.Availability.ACTIVE);

    assertThat(id.role()).isEqualTo(NodeRole.WORKER);
    assertThat(id.clusterId()).isEqualTo(CaFixture.CLUSTER_ID);
    assertThat(id.nodeId()).matches("[0-9a-z]{25}");
    assertThat(id.rootCertificate()).isEqualTo(cluster.ca().certificate());
    Node node = cluster.store().view(tx -> tx.get(ObjectKind.NODE, id.nodeId())).orElseThrow();
    assertThat(node.getRole()).isEqualTo(io.corral.api.NodeRole.WORKER);
    assertThat(node.getSpec().getDesiredRole()).isEqualTo(io.corral.api.NodeRole.WORKER);
    assertThat(node.getSpec().getMembership()).isEqualTo(NodeSpec.Membership.ACCEPTED);
    assertThat(node.getSpec().getAvailability()).isEqualTo(NodeSpec.Availability.ACTIVE);
    assertThat(node.getStatus().getState()).isEqualTo(NodeStatus.State.UNKNOWN);
    assertThat(node.getCertificate().getStatus().getState()).isEqualTo(IssuanceStatus.State.ISSUED);
    assertThat(node.getCertificate().getCn()).isEqualTo(id.nodeId());
    assertThat(node.getCertificate().getRole()).isEqualTo(io.corral.api.NodeRole.WORKER);
    assertThat(node.getCertificate().getCsr().toString(StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    assertThat(
            Pem.readCertificate(
                node.getCertificate().getCertificate().toString(StandardCharsets.US_ASCII)))
        .isEqualTo(id.certificate());
  }

  @Test
  void joinsAsManagerWithTheManagerTokenAndKeepsTheAvailability() throws Exception {
    NodeIdentity id =
        CaClient.join(cluster.addr(), cluster.managerToken(), NodeSpec.Availability.DRAIN);

    assertThat(id.role()).isEqualTo(NodeRole.MANAGER);
    Node node = cluster.store().view(tx -> tx.get(ObjectKind.NODE, id.nodeId())).orElseThrow();
    assertThat(node.getRole()).isEqualTo(io.corral.api.NodeRole.MANAGER);
    assertThat(node.getSpec().getAvailability()).isEqualTo(NodeSpec.Availability.DRAIN);
  }

  @Test
  void certificateLifetimeFollowsTheClusterSetting() throws Exception {
    cluster
        .store()
        .update(
            tx -> {
              var c = tx.list(ObjectKind.CLUSTER).get(0);
              var next = c.toBuilder();
              next.getSpecBuilder()
                  .getCaConfigBuilder()
                  .setNodeCertExpiry(
                      com.google.protobuf.Duration.newBuilder()
                          .setSeconds(Duration.ofHours(2).toSeconds()));
              tx.update(next.build());
            });

    NodeIdentity id =
        CaClient.join(cluster.addr(), cluster.workerToken(), NodeSpec.Availability.ACTIVE);

    // issued from a minute ago (clock skew) for two hours
    Duration expected = Duration.ofHours(2).plus(RootCA.CLOCK_SKEW);
    // certificate times have whole seconds
    assertThat(Duration.between(id.notBefore(), id.notAfter()))
        .isBetween(expected.minusSeconds(1), expected.plusSeconds(1));
  }

  @Test
  void joinedIdentityOpensMutualTlsChannelsToTheCluster() throws Exception {
    NodeIdentity id =
        CaClient.join(cluster.addr(), cluster.workerToken(), NodeSpec.Availability.ACTIVE);
    ManagedChannel channel = cluster.channel(id);

    String root =
        CAGrpc.newBlockingStub(channel)
            .getRootCACertificate(GetRootCACertificateRequest.getDefaultInstance())
            .getCertificate()
            .toString(StandardCharsets.US_ASCII);

    assertThat(Pem.readCertificate(root)).isEqualTo(cluster.ca().certificate());
  }

  @Test
  void tokenNamingAnotherRootIsRefusedBeforeAnythingIsSent() {
    String foreign = JoinToken.generate(RootCA.create("other-cluster").digest()).value();
    String expected = JoinToken.parse(foreign).rootDigest();

    assertThatThrownBy(() -> CaClient.join(cluster.addr(), foreign, NodeSpec.Availability.ACTIVE))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining(
            "the cluster at "
                + cluster.addr()
                + " has a different root CA than the "
                + "join token names (digest "
                + expected
                + " expected, got "
                + cluster.ca().digest()
                + "); is the token for another cluster?");
    assertThat(cluster.nodes()).extracting(Node::getId).containsExactly(CaFixture.MANAGER_ID);
  }

  @Test
  void wrongSecretIsRefusedByTheCaAndNothingIsWritten() {
    String guessed = JoinToken.generate(cluster.ca().digest()).value();

    assertThatThrownBy(() -> CaClient.join(cluster.addr(), guessed, NodeSpec.Availability.ACTIVE))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED))
        .hasMessageContaining("invalid join token");
    assertThat(cluster.nodes()).extracting(Node::getId).containsExactly(CaFixture.MANAGER_ID);
  }

  @Test
  void malformedTokenIsRefusedLocally() {
    assertThatThrownBy(
            () -> CaClient.join(cluster.addr(), "SWMTKN-1-abc-def", NodeSpec.Availability.ACTIVE))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("invalid join token");
  }

  @Test
  void unreachableManagerIsNamed() {
    // a port nobody listens on: bind and release one
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String addr = "127.0.0.1:" + port;

    assertThatThrownBy(
            () -> CaClient.join(addr, cluster.workerToken(), NodeSpec.Availability.ACTIVE))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("cannot reach the manager at " + addr);
  }

  @Test
  void renewalKeepsTheNodeIdAndUsesAFreshKey() throws Exception {
    NodeIdentity id =
        CaClient.join(cluster.addr(), cluster.workerToken(), NodeSpec.Availability.ACTIVE);

    NodeIdentity renewed = CaClient.renew(cluster.channel(id), id);

    assertThat(renewed.nodeId()).isEqualTo(id.nodeId());
    assertThat(renewed.role()).isEqualTo(NodeRole.WORKER);
    assertThat(renewed.certificate()).isNotEqualTo(id.certificate());
    assertThat(renewed.certificate().getPublicKey()).isNotEqualTo(id.certificate().getPublicKey());
    Node node = cluster.store().view(tx -> tx.get(ObjectKind.NODE, id.nodeId())).orElseThrow();
    assertThat(
            Pem.readCertificate(
                node.getCertificate().getCertificate().toString(StandardCharsets.US_ASCII)))
        .isEqualTo(renewed.certificate());
  }

  @Test
  void renewalGrantsAPromotionAtOnceButADemotionOnlyOnceTheNodeIsAWorker() throws Exception {
    NodeIdentity id =
        CaClient.join(cluster.addr(), cluster.workerToken(), NodeSpec.Availability.ACTIVE);
    setNode(id.nodeId(), io.corral.api.NodeRole.MANAGER, io.corral.api.NodeRole.WORKER);

    NodeIdentity promoted = CaClient.renew(cluster.channel(id), id);
    assertThat(promoted.role()).isEqualTo(NodeRole.MANAGER);

    // demoted, but still a Raft member (role manager has not finished): keeps its manager
    // certificate
    setNode(id.nodeId(), io.corral.api.NodeRole.WORKER, io.corral.api.NodeRole.MANAGER);
    assertThat(CaClient.renew(cluster.channel(promoted), promoted).role())
        .isEqualTo(NodeRole.MANAGER);

    setNode(id.nodeId(), io.corral.api.NodeRole.WORKER, io.corral.api.NodeRole.WORKER);
    assertThat(CaClient.renew(cluster.channel(promoted), promoted).role())
        .isEqualTo(NodeRole.WORKER);
  }

  @Test
  void removedNodeCannotRenew() throws Exception {
    NodeIdentity id =
        CaClient.join(cluster.addr(), cluster.workerToken(), NodeSpec.Availability.ACTIVE);
    ManagedChannel channel = cluster.channel(id);
    CaClient.renew(channel, id); // connection established while the node was still a member

    cluster.remove(id.nodeId());

    assertThatThrownBy(() -> CaClient.renew(channel, id))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED))
        .hasMessageContaining(
            "node "
                + id.nodeId()
                + " was removed from the cluster; it must join again "
                + "with a new token");
  }

  private void setNode(
      String nodeId, io.corral.api.NodeRole desired, io.corral.api.NodeRole current) {
    cluster
        .store()
        .update(
            tx -> {
              Node node = tx.get(ObjectKind.NODE, nodeId).orElseThrow();
              Node.Builder next = node.toBuilder().setRole(current);
              next.getSpecBuilder().setDesiredRole(desired);
              tx.update(next.build());
            });
  }
}
