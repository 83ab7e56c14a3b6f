package io.corral.manager.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

/**
 * grpc-netty TLS contexts for the cluster API: servers and clients presenting a node certificate,
 * and the certificate-less contexts a joining node uses before it has one. TLS 1.3 and 1.2 only.
 */
public final class GrpcTls {

  /** The protocol versions we speak; anything older is refused in the handshake. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private GrpcTls() {}

  /**
   * A server context presenting the node's certificate chain. Client certificates are requested but
   * optional: a joiner has none yet and must still reach the CA services; {@code rpc.Authorizer}
   * refuses certificate-less callers everywhere else. A client certificate that is presented must
   * pass {@code trustManager}.
   */
  public static SslContext serverContext(
      NodeIdentity identity, X509ExtendedTrustManager trustManager) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(trustManager, "trustManager");
    return build(
        SslContextBuilder.forServer(identity.privateKey(), identity.chain())
            .trustManager(trustManager)
            .clientAuth(ClientAuth.OPTIONAL),
        "server");
  }

  /**
   * A server context presenting whatever certificate {@code keyManager} holds at each handshake
   * (see {@link io.corral.manager.tls.RenewableKeyManager}); otherwise as {@link
   * #serverContext(NodeIdentity, X509ExtendedTrustManager)}.
   */
  public static SslContext serverContext(
      X509KeyManager keyManager, X509ExtendedTrustManager trustManager) {
    Objects.requireNonNull(keyManager, "keyManager");
    Objects.requireNonNull(trustManager, "trustManager");
    return build(
        SslContextBuilder.forServer(keyManager)
            .trustManager(trustManager)
            .clientAuth(ClientAuth.OPTIONAL),
        "server");
  }

  /**
   * A client context presenting the node's certificate and checking the server with {@code
   * trustManager}.
   */
  public static SslContext clientContext(
      NodeIdentity identity, X509ExtendedTrustManager trustManager) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(trustManager, "trustManager");
    return build(
        clientBuilder(trustManager).keyManager(identity.privateKey(), identity.chain()), "client");
  }

  /**
   * A client context presenting whatever certificate {@code keyManager} holds at each handshake (a
   * renewed certificate is used from the next connection on) and checking the server with {@code
   * trustManager}.
   */
  public static SslContext clientContext(
      X509KeyManager keyManager, X509ExtendedTrustManager trustManager) {
    Objects.requireNonNull(keyManager, "keyManager");
    Objects.requireNonNull(trustManager, "trustManager");
    return build(clientBuilder(trustManager).keyManager(keyManager), "client");
  }

  /**
   * A client context presenting the node's certificate and accepting only a manager of its own
   * cluster.
   */
  public static SslContext clientContext(NodeIdentity identity) {
    return clientContext(identity, managerOf(identity.rootCertificate(), identity.clusterId()));
  }

  /**
   * A client context without a certificate that accepts only a manager of the cluster with this
   * root: what a joiner uses, once it has checked the root against its join token, to send the
   * token and its CSR.
   */
  public static SslContext anonymousClientContext(X509Certificate root) {
    Objects.requireNonNull(root, "root");
    return build(
        clientBuilder(new ClusterTrustManager(root, PeerPolicy.requireRole(NodeRole.MANAGER))),
        "anonymous client");
  }

  /**
   * A context for a joiner's very first connection, which can trust nothing yet: it accepts any
   * server chain and records it, so that the caller can check the presented root against the join
   * token's digest. Nothing secret may be sent over it.
   */
  public static Bootstrap bootstrapClientContext() {
    RecordingTrustManager recorder = new RecordingTrustManager();
    return new Bootstrap(build(clientBuilder(recorder), "bootstrap client"), recorder);
  }

  private static SslContextBuilder clientBuilder(X509ExtendedTrustManager trustManager) {
    return SslContextBuilder.forClient()
        .trustManager(trustManager)
        // Peers are identified by the CN/OU of a certificate from the cluster root, not by host
        // names:
        // node certificates carry no host names, and nodes are reached by IP.
        .endpointIdentificationAlgorithm(null);
  }

  private static SslContext build(SslContextBuilder builder, String what) {
    try {
      // configure() first: it sets ALPN h2 and HTTP/2 ciphers, which the protocol list must not
      // undo.
      return GrpcSslContexts.configure(builder).protocols(PROTOCOLS).build();
    } catch (SSLException e) {
      throw new IllegalStateException(
          "cannot build the TLS " + what + " context: " + e.getMessage(), e);
    }
  }

  private static X509ExtendedTrustManager managerOf(X509Certificate root, String clusterId) {
    return new ClusterTrustManager(
        root, PeerPolicy.requireRole(NodeRole.MANAGER).and(PeerPolicy.requireCluster(clusterId)));
  }

  /** A bootstrap client context and what the server presented through it. */
  public static final class Bootstrap {

    private final SslContext context;
    private final RecordingTrustManager recorder;

    private Bootstrap(SslContext context, RecordingTrustManager recorder) {
      this.context = context;
      this.recorder = recorder;
    }

    public SslContext context() {
      return context;
    }

    /** The chain (leaf first) the server presented in the latest handshake, or empty before any. */
    public List<X509Certificate> presentedChain() {
      return recorder.chain.get();
    }

    /** The last certificate of the presented chain: the root, for a node of a Corral cluster. */
    public Optional<X509Certificate> presentedRoot() {
      List<X509Certificate> chain = presentedChain();
      return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1));
    }
  }

  /** Accepts any server chain and remembers it; refuses to judge clients, which it never has to. */
  private static final class RecordingTrustManager extends X509ExtendedTrustManager {

    private final AtomicReference<List<X509Certificate>> chain = new AtomicReference<>(List.of());

    private void record(X509Certificate[] presented) throws CertificateException {
      if (presented == null || presented.length == 0) {
        throw new CertificateException("the server presented no certificate");
      }
      chain.set(List.of(presented));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType)
        throws CertificateException {
      record(presented);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType, Socket socket)
        throws CertificateException {
      record(presented);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
        throws CertificateException {
      record(presented);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType)
        throws CertificateException {
      throw new CertificateException("a bootstrap context only connects to servers");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a bootstrap context only connects to servers");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] presented, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a bootstrap context only connects to servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
