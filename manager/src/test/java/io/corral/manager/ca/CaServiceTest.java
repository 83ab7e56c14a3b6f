package io.corral.manager.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.corral.api.CAGrpc;
import io.corral.api.GetRootCACertificateRequest;
import io.corral.api.GetUnlockKeyRequest;
import io.corral.api.IssueNodeCertificateRequest;
import io.corral.api.IssueNodeCertificateResponse;
import io.corral.api.Node;
import io.corral.api.NodeCAGrpc;
import io.corral.api.NodeCertificateStatusRequest;
import io.corral.api.NodeSpec;
import io.corral.manager.tls.ClusterTrustManager;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeKeys;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerIdentity;
import io.corral.manager.tls.Pem;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CA services as a joiner without certificate and as nodes reach them: real TLS, raw stubs. */
class CaServiceTest {

  private final CaFixture cluster = CaFixture.start();
  private final ManagedChannel anonymous = cluster.anonymousChannel();
  private final NodeCAGrpc.NodeCABlockingStub nodeCa = NodeCAGrpc.newBlockingStub(anonymous);

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void anyoneGetsTheRootCertificate() {
    String pem =
        CAGrpc.newBlockingStub(anonymous)
            .getRootCACertificate(GetRootCACertificateRequest.getDefaultInstance())
            .getCertificate()
            .toString(StandardCharsets.US_ASCII);

    assertThat(pem).isEqualTo(cluster.ca().certPem());
  }

  @Test
  void joinWithTheWorkerTokenCreatesAnAcceptedWorkerNode() throws Exception {
    IssueNodeCertificateResponse response =
        nodeCa.issueNodeCertificate(request(cluster.workerToken()));

    assertThat(response.getNodeMembership()).isEqualTo(NodeSpec.Membership.ACCEPTED);
    var status =
        nodeCa.nodeCertificateStatus(
            NodeCertificateStatusRequest.newBuilder().setNodeId(response.getNodeId()).build());
    var cert =
        Pem.readCertificate(
            status.getCertificate().getCertificate().toString(StandardCharsets.US_ASCII));
    assertThat(
            new ClusterTrustManager(cluster.ca().certificate())
                .verify(new java.security.cert.X509Certificate[] {cert}, true))
        .isEqualTo(new PeerIdentity(response.getNodeId(), NodeRole.WORKER, CaFixture.CLUSTER_ID));
  }

  @Test
  void wrongTokenIsRefusedAndNothingIsWritten() {
    String guessed = JoinToken.generate(cluster.ca().digest()).value();

    assertRefused(
        () -> nodeCa.issueNodeCertificate(request(guessed)),
        Status.Code.PERMISSION_DENIED,
        "invalid join token: it is neither the current worker nor the current manager token");
    assertNothingWritten();
  }

  @Test
  void rotatedOutTokenIsRefusedAndTheNewOneWorks() {
    String old = cluster.workerToken();
    String fresh = new CaService(cluster.store()).rotateToken(NodeRole.WORKER);

    assertThat(fresh).isNotEqualTo(old).isEqualTo(cluster.workerToken());
    assertRefused(
        () -> nodeCa.issueNodeCertificate(request(old)),
        Status.Code.PERMISSION_DENIED,
        "invalid join token");
    assertNothingWritten();
    assertThat(nodeCa.issueNodeCertificate(request(fresh)).getNodeId()).isNotBlank();
  }

  @Test
  void tokenNamingAnotherRootIsRefusedEvenWithACurrentSecret() {
    // what an attacker who learnt the secret but not the root might try, or a token of a re-created
    // cluster
    JoinToken current = JoinToken.parse(cluster.managerToken());
    String foreign = new JoinToken(RootCA.create("other").digest(), current.secret()).value();

    assertRefused(
        () -> nodeCa.issueNodeCertificate(request(foreign)),
        Status.Code.PERMISSION_DENIED,
        "invalid join token: it names root CA");
    assertNothingWritten();
  }

  @Test
  void malformedTokenOrCsrIsAnInvalidArgument() {
    assertRefused(
        () -> nodeCa.issueNodeCertificate(request("CRLTKN-1-nonsense")),
        Status.Code.INVALID_ARGUMENT,
        "invalid join token: expected CRLTKN-1-<digest>-<secret>");
    assertRefused(
        () ->
            nodeCa.issueNodeCertificate(
                IssueNodeCertificateRequest.newBuilder()
                    .setToken(cluster.workerToken())
                    .setCsr(ByteString.copyFromUtf8("not a csr"))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "not a valid PKCS#10");
    assertNothingWritten();
  }

  @Test
  void derCsrIsAcceptedToo() {
    KeyPair keys = NodeKeys.generate();
    IssueNodeCertificateResponse response =
        nodeCa.issueNodeCertificate(
            IssueNodeCertificateRequest.newBuilder()
                .setToken(cluster.workerToken())
                .setCsr(ByteString.copyFrom(NodeKeys.csr(keys, "x")))
                .build());

    assertThat(response.getNodeId()).isNotBlank();
  }

  @Test
  void renewalWithoutCertificateOrTokenIsUnauthenticated() {
    assertRefused(
        () -> nodeCa.issueNodeCertificate(request("")),
        Status.Code.UNAUTHENTICATED,
        "needs either a join token (to join) or the node's current certificate (to renew)");
  }

  @Test
  void renewalOfANodeWhoseObjectIsGoneIsRefused() {
    NodeIdentity worker = cluster.node("w-gone", NodeRole.WORKER);
    cluster.store().update(tx -> tx.delete(io.corral.manager.store.ObjectKind.NODE, "w-gone"));

    assertRefused(
        () -> NodeCAGrpc.newBlockingStub(cluster.channel(worker)).issueNodeCertificate(request("")),
        Status.Code.PERMISSION_DENIED,
        "node w-gone is no longer part of the cluster");
  }

  @Test
  void statusOfAnUnknownNodeIsNotFound() {
    assertRefused(
        () ->
            nodeCa.nodeCertificateStatus(
                NodeCertificateStatusRequest.newBuilder().setNodeId("nope").build()),
        Status.Code.NOT_FOUND,
        "node nope not found");
  }

  @Test
  void unlockKeyIsForManagersOnly() {
    NodeIdentity worker = cluster.node("w1", NodeRole.WORKER);

    assertRefused(
        () ->
            CAGrpc.newBlockingStub(cluster.channel(worker))
                .getUnlockKey(GetUnlockKeyRequest.getDefaultInstance()),
        Status.Code.PERMISSION_DENIED,
        "permission denied: a worker node cannot call "
            + "corral.api.CA/GetUnlockKey; only managers can");
    var response =
        CAGrpc.newBlockingStub(cluster.channel(cluster.manager()))
            .getUnlockKey(GetUnlockKeyRequest.getDefaultInstance());
    assertThat(response.getUnlockKey()).isEmpty();
    assertThat(response.getVersion().getIndex())
        .isEqualTo(cluster.cluster().getMeta().getVersion());
  }

  private static IssueNodeCertificateRequest request(String token) {
    KeyPair keys = NodeKeys.generate();
    return IssueNodeCertificateRequest.newBuilder()
        .setToken(token)
        .setCsr(ByteString.copyFromUtf8(Pem.certificationRequest(NodeKeys.csr(keys, "joiner"))))
        .build();
  }

  private void assertNothingWritten() {
    assertThat(cluster.nodes()).extracting(Node::getId).containsExactly(CaFixture.MANAGER_ID);
  }

  private static void assertRefused(ThrowingCallable call, Status.Code code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(message);
            });
  }
}
