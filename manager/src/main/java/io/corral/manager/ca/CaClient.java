package io.corral.manager.ca;

import com.google.protobuf.ByteString;
import io.corral.api.CAGrpc;
import io.corral.api.GetRootCACertificateRequest;
import io.corral.api.IssuanceStatus;
import io.corral.api.IssueNodeCertificateRequest;
import io.corral.api.IssueNodeCertificateResponse;
import io.corral.api.NodeCAGrpc;
import io.corral.api.NodeCertificateStatusRequest;
import io.corral.api.NodeCertificateStatusResponse;
import io.corral.api.NodeSpec;
import io.corral.manager.tls.ClusterTrustManager;
import io.corral.manager.tls.GrpcTls;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeKeys;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerPolicy;
import io.corral.manager.tls.Pem;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a node runs to get its certificate from the cluster CA: joining with a token, and renewing.
 * The node's private key is generated here and never sent anywhere; only its CSR is.
 */
public final class CaClient {

  /** Deadline of each call to the CA. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

  /** How long to wait for a requested certificate to be issued. */
  public static final Duration ISSUE_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  // The CA sets the subject itself; this CN only tells a human reading a stored CSR what it was
  // for.
  private static final String CSR_COMMON_NAME = "corral-node";

  private CaClient() {}

  /**
   * Joins the cluster of the manager at {@code addr}: fetches its root CA over a connection that
   * trusts nothing yet, checks that root against the token's digest, and only then sends the token
   * and a CSR over a connection that accepts only a manager certificate from that root.
   *
   * @param addr host:port of a manager's cluster API
   * @param availability the availability the node starts with
   * @return the new node identity (role as the token decided); the caller saves it
   * @throws StatusRuntimeException INVALID_ARGUMENT for a malformed token; UNAUTHENTICATED when the
   *     manager's root CA is not the one the token names (nothing is sent to it then); the CA's
   *     refusal (e.g. PERMISSION_DENIED for a token that is not current); UNAVAILABLE when the
   *     manager cannot be reached
   */
  public static NodeIdentity join(String addr, String token, NodeSpec.Availability availability)
      throws InterruptedException {
    JoinToken joinToken;
    try {
      joinToken = JoinToken.parse(token);
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    X509Certificate root = verifiedRoot(addr, joinToken);
    KeyPair keys = NodeKeys.generate();
    ManagedChannel channel = open(addr, GrpcTls.anonymousClientContext(root));
    try {
      IssueNodeCertificateRequest.Builder request =
          IssueNodeCertificateRequest.newBuilder().setCsr(csrPem(keys)).setToken(joinToken.value());
      if (availability != null && availability != NodeSpec.Availability.UNRECOGNIZED) {
        request.setAvailability(availability);
      }
      IssueNodeCertificateResponse issued =
          call(addr, () -> nodeCa(channel).issueNodeCertificate(request.build()));
      X509Certificate cert = awaitCertificate(addr, channel, issued.getNodeId());
      return identity(keys, cert, root, issued.getNodeId());
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * Renews the node's certificate with a fresh key pair, over a channel that presents the current
   * certificate (e.g. built with {@link GrpcTls#clientContext(NodeIdentity)}). The role is the one
   * the managers decide now, which is how a promotion or demotion reaches the node.
   *
   * @return the new identity; the caller saves it and switches to it
   * @throws StatusRuntimeException the CA's refusal, e.g. UNAUTHENTICATED for a removed node
   */
  public static NodeIdentity renew(Channel channel, NodeIdentity identity)
      throws InterruptedException {
    KeyPair keys = NodeKeys.generate();
    String where = channel.authority();
    IssueNodeCertificateResponse issued =
        call(
            where,
            () ->
                nodeCa(channel)
                    .issueNodeCertificate(
                        IssueNodeCertificateRequest.newBuilder().setCsr(csrPem(keys)).build()));
    if (!issued.getNodeId().equals(identity.nodeId())) {
      throw Status.INTERNAL
          .withDescription(
              "the CA renewed the certificate of node "
                  + issued.getNodeId()
                  + " instead of this node "
                  + identity.nodeId())
          .asRuntimeException();
    }
    X509Certificate cert = awaitCertificate(where, channel, issued.getNodeId());
    return identity(keys, cert, identity.rootCertificate(), identity.nodeId());
  }

  /** The manager's root CA, once it is proven to be the one the token names. */
  private static X509Certificate verifiedRoot(String addr, JoinToken token) {
    GrpcTls.Bootstrap bootstrap = GrpcTls.bootstrapClientContext();
    ManagedChannel channel = open(addr, bootstrap.context());
    X509Certificate root;
    try {
      ByteString pem =
          call(
              addr,
              () ->
                  CAGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                      .getRootCACertificate(GetRootCACertificateRequest.getDefaultInstance())
                      .getCertificate());
      try {
        root = Pem.readCertificate(pem.toString(StandardCharsets.US_ASCII));
      } catch (IllegalArgumentException e) {
        throw Status.UNAUTHENTICATED
            .withDescription(
                "the manager at "
                    + addr
                    + " sent an unreadable root "
                    + "CA certificate: "
                    + e.getMessage())
            .asRuntimeException();
      }
    } finally {
      channel.shutdownNow();
    }
    if (!token.matchesRoot(root)) {
      throw Status.UNAUTHENTICATED
          .withDescription(
              "the cluster at "
                  + addr
                  + " has a different root CA than "
                  + "the join token names (digest "
                  + token.rootDigest()
                  + " expected, got "
                  + RootCA.digestOf(root)
                  + "); is the token for another cluster?")
          .asRuntimeException();
    }
    // The root it sent is right; the certificate it presented must also come from it, or something
    // in
    // between answered for it.
    List<X509Certificate> presented = bootstrap.presentedChain();
    try {
      new ClusterTrustManager(root, PeerPolicy.requireRole(NodeRole.MANAGER))
          .verify(presented.toArray(X509Certificate[]::new), false);
    } catch (CertificateException e) {
      throw Status.UNAUTHENTICATED
          .withDescription(
              "the server at "
                  + addr
                  + " handed out the root CA the "
                  + "join token names but did not present a manager certificate from it ("
                  + e.getMessage()
                  + "); refusing to send it the token")
          .asRuntimeException();
    }
    return root;
  }

  private static X509Certificate awaitCertificate(String where, Channel channel, String nodeId)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(ISSUE_TIMEOUT);
    while (true) {
      NodeCertificateStatusResponse status =
          call(
              where,
              () ->
                  nodeCa(channel)
                      .nodeCertificateStatus(
                          NodeCertificateStatusRequest.newBuilder().setNodeId(nodeId).build()));
      IssuanceStatus.State state = status.getStatus().getState();
      if (state == IssuanceStatus.State.ISSUED || state == IssuanceStatus.State.ROTATE) {
        try {
          return Pem.readCertificate(
              status.getCertificate().getCertificate().toString(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
          throw Status.INTERNAL
              .withDescription(
                  "the CA returned an unreadable certificate for node "
                      + nodeId
                      + ": "
                      + e.getMessage())
              .asRuntimeException();
        }
      }
      if (state == IssuanceStatus.State.FAILED) {
        throw Status.FAILED_PRECONDITION
            .withDescription(
                "the CA failed to issue a certificate for node "
                    + nodeId
                    + ": "
                    + status.getStatus().getErr())
            .asRuntimeException();
      }
      if (Instant.now().isAfter(deadline)) {
        throw Status.DEADLINE_EXCEEDED
            .withDescription(
                "the CA did not issue the certificate for node "
                    + nodeId
                    + " within "
                    + ISSUE_TIMEOUT.toSeconds()
                    + " s (state "
                    + state
                    + ")")
            .asRuntimeException();
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }

  private static NodeIdentity identity(
      KeyPair keys, X509Certificate cert, X509Certificate root, String nodeId) {
    NodeIdentity identity;
    try {
      identity = new NodeIdentity(keys.getPrivate(), cert, root);
    } catch (IllegalArgumentException e) {
      throw Status.INTERNAL
          .withDescription("the CA returned a certificate this node cannot use: " + e.getMessage())
          .asRuntimeException();
    }
    if (!identity.nodeId().equals(nodeId)) {
      throw Status.INTERNAL
          .withDescription(
              "the CA returned a certificate for node "
                  + identity.nodeId()
                  + " instead of "
                  + nodeId)
          .asRuntimeException();
    }
    return identity;
  }

  private static NodeCAGrpc.NodeCABlockingStub nodeCa(Channel channel) {
    return NodeCAGrpc.newBlockingStub(channel)
        .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static ByteString csrPem(KeyPair keys) {
    return ByteString.copyFromUtf8(Pem.certificationRequest(NodeKeys.csr(keys, CSR_COMMON_NAME)));
  }

  private static ManagedChannel open(String addr, SslContext context) {
    return NettyChannelBuilder.forTarget(addr).sslContext(context).build();
  }

  /**
   * Runs a call, naming the manager when it could not be reached; the CA's own refusals pass
   * unchanged.
   */
  private static <T> T call(String where, Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
        throw e.getStatus()
            .withDescription("cannot reach the manager at " + where + ": " + describe(e))
            .asRuntimeException();
      }
      throw e;
    }
  }

  private static String describe(StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null) {
      return (description == null ? "" : description + ": ") + cause.getMessage();
    }
    return description == null ? e.getStatus().getCode().toString() : description;
  }
}
