package io.corral.manager.ca;

import com.google.protobuf.ByteString;
import io.corral.api.CAGrpc;
import io.corral.api.Certificate;
import io.corral.api.Cluster;
import io.corral.api.EncryptionKey;
import io.corral.api.GetRootCACertificateRequest;
import io.corral.api.GetRootCACertificateResponse;
import io.corral.api.GetUnlockKeyRequest;
import io.corral.api.GetUnlockKeyResponse;
import io.corral.api.IssuanceStatus;
import io.corral.api.IssueNodeCertificateRequest;
import io.corral.api.IssueNodeCertificateResponse;
import io.corral.api.Node;
import io.corral.api.NodeCAGrpc;
import io.corral.api.NodeCertificateStatusRequest;
import io.corral.api.NodeCertificateStatusResponse;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.Version;
import io.corral.common.ProtoTime;
import io.corral.common.RandomIds;
import io.corral.manager.rpc.Authorizer;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.ReadTx;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreException;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerIdentity;
import io.corral.manager.tls.Pem;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster CA as gRPC services ({@link #ca()}, {@link #nodeCa()}): hands out the root
 * certificate, admits joiners by join token (the token decides the role) and renews nodes'
 * certificates. Its state (root key, tokens, nodes) lives in the store, so that every manager can
 * serve it.
 */
public final class CaService {

  private static final Logger log = LoggerFactory.getLogger(CaService.class);

  /** Node certificate lifetime when the cluster spec sets none (Docker's default). */
  public static final Duration DEFAULT_NODE_CERT_EXPIRY = Duration.ofDays(90);

  private static final String TOKEN_HINT =
      "get the current one with `corral swarm join-token worker|manager` " + "on a manager";

  private final Store store;

  public CaService(Store store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The {@code corral.api.CA} service. */
  public CAGrpc.CAImplBase ca() {
    return new CAGrpc.CAImplBase() {
      @Override
      public void getRootCACertificate(
          GetRootCACertificateRequest request, StreamObserver<GetRootCACertificateResponse> out) {
        respond(
            out,
            () ->
                GetRootCACertificateResponse.newBuilder()
                    .setCertificate(ByteString.copyFromUtf8(rootCertificatePem()))
                    .build());
      }

      @Override
      public void getUnlockKey(
          GetUnlockKeyRequest request, StreamObserver<GetUnlockKeyResponse> out) {
        respond(out, CaService.this::unlockKey);
      }
    };
  }

  /** The {@code corral.api.NodeCA} service. */
  public NodeCAGrpc.NodeCAImplBase nodeCa() {
    return new NodeCAGrpc.NodeCAImplBase() {
      @Override
      public void issueNodeCertificate(
          IssueNodeCertificateRequest request, StreamObserver<IssueNodeCertificateResponse> out) {
        respond(out, () -> issue(request, Authorizer.callerIfAny()));
      }

      @Override
      public void nodeCertificateStatus(
          NodeCertificateStatusRequest request, StreamObserver<NodeCertificateStatusResponse> out) {
        respond(out, () -> status(request.getNodeId()));
      }
    };
  }

  /** The root CA certificate as PEM. */
  public String rootCertificatePem() {
    return store.view(tx -> Pem.certificate(rootOf(cluster(tx)).certificate()));
  }

  /**
   * Issues a certificate: with a join token, for a new node whose role the token decides; without
   * one, for the calling node (renewal).
   *
   * @param caller the node whose certificate authenticated the call, if any
   * @throws StatusRuntimeException INVALID_ARGUMENT for a malformed CSR or token, PERMISSION_DENIED
   *     for a token that is not current, UNAUTHENTICATED for a renewal without certificate or by a
   *     removed node
   */
  public IssueNodeCertificateResponse issue(
      IssueNodeCertificateRequest request, Optional<PeerIdentity> caller) {
    PKCS10CertificationRequest csr = parseCsr(request.getCsr());
    String csrPem = Pem.certificationRequest(encoded(csr));
    if (!request.getToken().isEmpty()) {
      return join(request, csr, csrPem);
    }
    PeerIdentity renewing =
        caller.orElseThrow(
            () ->
                Status.UNAUTHENTICATED
                    .withDescription(
                        "a certificate "
                            + "request needs either a join token (to join) or the node's current certificate (to renew); "
                            + "this one has neither")
                    .asRuntimeException());
    return renew(renewing, csr, csrPem);
  }

  /**
   * A node's certificate and its issuance state; certificates are public, so anyone may read them.
   */
  public NodeCertificateStatusResponse status(String nodeId) {
    if (nodeId == null || nodeId.isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("node_id is required").asRuntimeException();
    }
    Node node =
        store
            .view(tx -> tx.get(ObjectKind.NODE, nodeId))
            .orElseThrow(
                () ->
                    Status.NOT_FOUND
                        .withDescription("node " + nodeId + " not found")
                        .asRuntimeException());
    // Issuance is synchronous here, so there is never a pending request to wait for.
    return NodeCertificateStatusResponse.newBuilder()
        .setStatus(node.getCertificate().getStatus())
        .setCertificate(node.getCertificate())
        .build();
  }

  /**
   * Replaces the cluster's join token for the role with a fresh one and returns it; the old token
   * is refused from then on.
   */
  public String rotateToken(NodeRole role) {
    AtomicReference<String> fresh = new AtomicReference<>();
    writeStore(
        () ->
            store.update(
                tx -> {
                  Cluster cluster = cluster(tx);
                  String digest = RootCA.digestOf(rootOf(cluster).certificate());
                  Cluster.Builder next = cluster.toBuilder();
                  next.getRootCaBuilder()
                      .setJoinTokens(
                          ClusterTokens.rotate(cluster.getRootCa().getJoinTokens(), role, digest));
                  Cluster rotated = next.build();
                  tx.update(rotated);
                  fresh.set(ClusterTokens.of(rotated.getRootCa().getJoinTokens(), role));
                }));
    log.info("rotated the {} join token", role.name().toLowerCase(Locale.ROOT));
    return fresh.get();
  }

  private IssueNodeCertificateResponse join(
      IssueNodeCertificateRequest request, PKCS10CertificationRequest csr, String csrPem) {
    JoinToken token;
    try {
      token = JoinToken.parse(request.getToken());
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    NodeSpec.Availability availability =
        request.getAvailability() == NodeSpec.Availability.UNRECOGNIZED
            ? NodeSpec.Availability.ACTIVE
            : request.getAvailability();
    String nodeId = RandomIds.newId();
    AtomicReference<NodeRole> granted = new AtomicReference<>();
    // One write: checking the token, signing and creating the node, so that a refused request
    // leaves nothing.
    writeStore(
        () ->
            store.update(
                tx -> {
                  Cluster cluster = cluster(tx);
                  RootCA ca = rootOf(cluster);
                  String digest = RootCA.digestOf(ca.certificate());
                  if (!token.rootDigest().equals(digest)) {
                    throw Status.PERMISSION_DENIED
                        .withDescription(
                            "invalid join token: it names root CA "
                                + token.rootDigest()
                                + " but this cluster's root CA is "
                                + digest
                                + "; is the token for another cluster? "
                                + TOKEN_HINT)
                        .asRuntimeException();
                  }
                  NodeRole role =
                      ClusterTokens.roleOf(cluster.getRootCa().getJoinTokens(), token)
                          .orElseThrow(
                              () ->
                                  Status.PERMISSION_DENIED
                                      .withDescription(
                                          "invalid join token: it is neither the current "
                                              + "worker nor the current manager token of this cluster (it may have been rotated); "
                                              + TOKEN_HINT)
                                      .asRuntimeException());
                  X509Certificate cert = sign(ca, csr, nodeId, role, expiry(cluster));
                  tx.create(
                      Node.newBuilder()
                          .setId(nodeId)
                          .setSpec(
                              NodeSpec.newBuilder()
                                  .setDesiredRole(proto(role))
                                  .setMembership(NodeSpec.Membership.ACCEPTED)
                                  .setAvailability(availability))
                          .setRole(proto(role))
                          .setCertificate(issued(role, csrPem, cert, nodeId))
                          .setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.UNKNOWN))
                          .build());
                  granted.set(role);
                }));
    log.info("node {} joined as a {}", nodeId, granted.get().name().toLowerCase(Locale.ROOT));
    return IssueNodeCertificateResponse.newBuilder()
        .setNodeId(nodeId)
        .setNodeMembership(NodeSpec.Membership.ACCEPTED)
        .build();
  }

  private IssueNodeCertificateResponse renew(
      PeerIdentity caller, PKCS10CertificationRequest csr, String csrPem) {
    String nodeId = caller.nodeId();
    AtomicReference<NodeSpec.Membership> membership = new AtomicReference<>();
    AtomicReference<NodeRole> granted = new AtomicReference<>();
    writeStore(
        () ->
            store.update(
                tx -> {
                  Cluster cluster = cluster(tx);
                  RootCA ca = rootOf(cluster);
                  if (!caller.clusterId().equals(ca.clusterId())) {
                    throw Status.PERMISSION_DENIED
                        .withDescription(
                            "node "
                                + nodeId
                                + " belongs to cluster "
                                + caller.clusterId()
                                + ", not to this cluster "
                                + ca.clusterId())
                        .asRuntimeException();
                  }
                  if (cluster.getBlacklistedCertificatesMap().containsKey(nodeId)) {
                    throw Status.UNAUTHENTICATED
                        .withDescription(
                            "node "
                                + nodeId
                                + " was removed from the cluster; "
                                + "it must join again with a new token")
                        .asRuntimeException();
                  }
                  Node node =
                      tx.get(ObjectKind.NODE, nodeId)
                          .orElseThrow(
                              () ->
                                  Status.PERMISSION_DENIED
                                      .withDescription(
                                          "node "
                                              + nodeId
                                              + " is no longer part of the cluster; it must join again "
                                              + "with a new token")
                                      .asRuntimeException());
                  NodeRole role = grantedRole(node);
                  X509Certificate cert = sign(ca, csr, nodeId, role, expiry(cluster));
                  tx.update(
                      node.toBuilder().setCertificate(issued(role, csrPem, cert, nodeId)).build());
                  membership.set(node.getSpec().getMembership());
                  granted.set(role);
                }));
    log.info(
        "renewed the certificate of node {} as a {}",
        nodeId,
        granted.get().name().toLowerCase(Locale.ROOT));
    return IssueNodeCertificateResponse.newBuilder()
        .setNodeId(nodeId)
        .setNodeMembership(membership.get())
        .build();
  }

  /**
   * The role a renewal grants. A promotion takes effect at once: the node needs the manager
   * certificate to join the Raft group. A demotion takes effect only once the role manager has
   * taken the node out of the Raft group and recorded it as a worker, so that a manager never loses
   * its certificate while it is still a Raft member.
   */
  static NodeRole grantedRole(Node node) {
    if (node.getSpec().getDesiredRole() == io.corral.api.NodeRole.MANAGER) {
      return NodeRole.MANAGER;
    }
    return node.getRole() == io.corral.api.NodeRole.MANAGER ? NodeRole.MANAGER : NodeRole.WORKER;
  }

  private GetUnlockKeyResponse unlockKey() {
    return store.view(
        tx -> {
          Cluster cluster = cluster(tx);
          GetUnlockKeyResponse.Builder response =
              GetUnlockKeyResponse.newBuilder()
                  .setVersion(Version.newBuilder().setIndex(cluster.getMeta().getVersion()));
          // The newest key is the current one; empty when auto-lock is off.
          cluster.getUnlockKeysList().stream()
              .max(Comparator.comparingLong(EncryptionKey::getLamportTime))
              .ifPresent(key -> response.setUnlockKey(key.getKey()));
          return response.build();
        });
  }

  private static Cluster cluster(ReadTx tx) {
    List<Cluster> clusters = tx.list(ObjectKind.CLUSTER);
    if (clusters.isEmpty()) {
      // Happens on a manager whose store has not caught up yet, or before `swarm init` finished.
      throw Status.UNAVAILABLE
          .withDescription("this manager holds no cluster object yet; retry in a moment")
          .asRuntimeException();
    }
    return clusters.get(0);
  }

  private static RootCA rootOf(Cluster cluster) {
    try {
      return RootCA.fromPem(
          cluster.getRootCa().getCaCert().toString(StandardCharsets.US_ASCII),
          cluster.getRootCa().getCaKey().toString(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw Status.INTERNAL
          .withDescription("the cluster's root CA in the store is unusable: " + e.getMessage())
          .asRuntimeException();
    }
  }

  private static Duration expiry(Cluster cluster) {
    var config = cluster.getSpec().getCaConfig();
    if (!config.hasNodeCertExpiry()) {
      return DEFAULT_NODE_CERT_EXPIRY;
    }
    Duration expiry = ProtoTime.duration(config.getNodeCertExpiry());
    return expiry.isNegative() || expiry.isZero() ? DEFAULT_NODE_CERT_EXPIRY : expiry;
  }

  private static X509Certificate sign(
      RootCA ca, PKCS10CertificationRequest csr, String nodeId, NodeRole role, Duration expiry) {
    try {
      // No host names: peers are identified by CN/OU, and RootCA always adds the node id as a SAN.
      return ca.issue(csr, nodeId, role, ca.clusterId(), expiry, List.of());
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("cannot issue a certificate for this request: " + e.getMessage())
          .asRuntimeException();
    }
  }

  private static Certificate issued(
      NodeRole role, String csrPem, X509Certificate cert, String nodeId) {
    return Certificate.newBuilder()
        .setRole(proto(role))
        .setCsr(ByteString.copyFromUtf8(csrPem))
        .setStatus(IssuanceStatus.newBuilder().setState(IssuanceStatus.State.ISSUED))
        .setCertificate(ByteString.copyFromUtf8(Pem.certificate(cert)))
        .setCn(nodeId)
        .build();
  }

  /** The CSR of a request, as PEM (what nodes send) or DER. */
  private static PKCS10CertificationRequest parseCsr(ByteString bytes) {
    if (bytes.isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "the request carries no CSR; send a PEM PKCS#10 "
                  + "certificate signing request for the node's key")
          .asRuntimeException();
    }
    try {
      String text = bytes.toString(StandardCharsets.US_ASCII);
      if (text.stripLeading().startsWith("-----BEGIN")) {
        return Pem.readCertificationRequest(text);
      }
      return new PKCS10CertificationRequest(bytes.toByteArray());
    } catch (IOException | RuntimeException e) {
      // bouncycastle reports some malformed input as runtime exceptions.
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "the CSR is not a valid PKCS#10 certificate signing " + "request: " + e.getMessage())
          .asRuntimeException();
    }
  }

  private static byte[] encoded(PKCS10CertificationRequest csr) {
    try {
      return csr.getEncoded();
    } catch (IOException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("cannot re-encode the CSR: " + e.getMessage())
          .asRuntimeException();
    }
  }

  static io.corral.api.NodeRole proto(NodeRole role) {
    return role == NodeRole.MANAGER
        ? io.corral.api.NodeRole.MANAGER
        : io.corral.api.NodeRole.WORKER;
  }

  private static void writeStore(Runnable write) {
    try {
      write.run();
    } catch (StoreException e) {
      throw storeFailure(e);
    }
  }

  private static StatusRuntimeException storeFailure(StoreException e) {
    Status status =
        switch (e.code()) {
          case NO_QUORUM, TIMEOUT, CLOSED -> Status.UNAVAILABLE;
          case VERSION_CONFLICT -> Status.ABORTED;
          default -> Status.INTERNAL;
        };
    return status
        .withDescription("the cluster store refused the change: " + e.getMessage() + "; retry")
        .withCause(e)
        .asRuntimeException();
  }

  /** Runs a unary call, turning every failure into a status the caller can read. */
  private static <T> void respond(StreamObserver<T> out, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    } catch (StoreException e) {
      out.onError(storeFailure(e));
      return;
    } catch (RuntimeException e) {
      log.error("CA call failed unexpectedly", e);
      out.onError(Status.INTERNAL.withDescription("CA failure: " + e).asRuntimeException());
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }
}
