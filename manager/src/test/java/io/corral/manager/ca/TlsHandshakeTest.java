package io.corral.manager.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.manager.tls.ClusterTrustManager;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerIdentity;
import io.corral.manager.tls.PeerPolicy;
import io.corral.manager.tls.TlsMaterial;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real TLS 1.3 handshakes over loopback with plain JSSE sockets and the managers from {@link
 * TlsMaterial}.
 */
class TlsHandshakeTest {

  private static final String[] TLS13 = {"TLSv1.3"};
  private static final int TIMEOUT_MS = 10_000;

  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final RootCA clusterA = RootCA.create("cluster-a");
  private final RootCA clusterB = RootCA.create("cluster-b");

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void twoNodesOfOneClusterConnectAndSeeEachOthersIdentity() throws Exception {
    TlsMaterial server = TlsMaterial.of(TestPki.node(clusterA, "m1", NodeRole.MANAGER));
    TlsMaterial client =
        TlsMaterial.of(
            TestPki.node(clusterA, "w1", NodeRole.WORKER),
            PeerPolicy.requireRole(NodeRole.MANAGER));

    try (SSLServerSocket listener = listen(server)) {
      Future<PeerIdentity> serverSide = serveOnce(listener);
      PeerIdentity seenByClient = exchange(client, listener.getLocalPort());

      assertThat(seenByClient).isEqualTo(new PeerIdentity("m1", NodeRole.MANAGER, "cluster-a"));
      assertThat(serverSide.get(TIMEOUT_MS, TimeUnit.MILLISECONDS))
          .isEqualTo(new PeerIdentity("w1", NodeRole.WORKER, "cluster-a"));
    }
  }

  @Test
  void serverRefusesClientWithCertificateFromAnotherCluster() throws Exception {
    TlsMaterial server = TlsMaterial.of(TestPki.node(clusterA, "m1", NodeRole.MANAGER));
    // the intruder even trusts cluster A's root, so only the server's check can stop it
    NodeIdentity intruder = TestPki.node(clusterB, "w9", NodeRole.WORKER);
    TlsMaterial client =
        new TlsMaterial(
            TlsMaterial.keyManager(intruder), new ClusterTrustManager(clusterA.certificate()));

    try (SSLServerSocket listener = listen(server)) {
      Future<PeerIdentity> serverSide = serveOnce(listener);

      assertThatThrownBy(() -> exchange(client, listener.getLocalPort()))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() -> serverSide.get(TIMEOUT_MS, TimeUnit.MILLISECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void serverTrustManagerRefusesForeignCertificateEvenWhenClientSendsItRegardless()
      throws Exception {
    // JSSE's key manager normally withholds a certificate the server's CA list does not name; this
    // client
    // sends it anyway, so the refusal must come from the server's ClusterTrustManager.
    TlsMaterial server = TlsMaterial.of(TestPki.node(clusterA, "m1", NodeRole.MANAGER));
    NodeIdentity intruder = TestPki.node(clusterB, "w9", NodeRole.WORKER);
    TlsMaterial client =
        new TlsMaterial(
            new IssuerBlindKeyManager(TlsMaterial.keyManager(intruder)),
            new ClusterTrustManager(clusterA.certificate()));

    try (SSLServerSocket listener = listen(server)) {
      Future<PeerIdentity> serverSide = serveOnce(listener);

      assertThatThrownBy(() -> exchange(client, listener.getLocalPort()))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() -> serverSide.get(TIMEOUT_MS, TimeUnit.MILLISECONDS))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining(
              "peer certificate for node w9 is not trusted by this cluster's root CA");
    }
  }

  @Test
  void noHostNameCheckEvenWhenTheClientAsksForHttpsEndpointIdentification() throws Exception {
    // the server certificate names neither 127.0.0.1 nor localhost: peers are identified by CN/OU
    // only
    TlsMaterial server =
        TlsMaterial.of(
            TestPki.node(
                clusterA,
                "m1",
                NodeRole.MANAGER,
                TestPki.NODE_VALIDITY,
                List.of("elsewhere.example")));
    TlsMaterial client = TlsMaterial.of(TestPki.node(clusterA, "w1", NodeRole.WORKER));

    try (SSLServerSocket listener = listen(server)) {
      Future<PeerIdentity> serverSide = serveOnce(listener);
      try (SSLSocket socket =
          (SSLSocket)
              client
                  .sslContext()
                  .getSocketFactory()
                  .createSocket("localhost", listener.getLocalPort())) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(TLS13);
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.startHandshake();
        socket.getOutputStream().write(7);
        socket.getOutputStream().flush();
        assertThat(socket.getInputStream().read()).isEqualTo(7);
      }
      assertThat(serverSide.get(TIMEOUT_MS, TimeUnit.MILLISECONDS).nodeId()).isEqualTo("w1");
    }
  }

  @Test
  void clientRefusesServerFromAnotherCluster() throws Exception {
    TlsMaterial server = TlsMaterial.of(TestPki.node(clusterB, "m1", NodeRole.MANAGER));
    TlsMaterial client = TlsMaterial.of(TestPki.node(clusterA, "w1", NodeRole.WORKER));

    try (SSLServerSocket listener = listen(server)) {
      serveOnce(listener);

      assertThatThrownBy(() -> exchange(client, listener.getLocalPort()))
          .isInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining("is not trusted by this cluster's root CA");
    }
  }

  @Test
  void managerOnlyEndpointRefusesAWorkerOfTheSameCluster() throws Exception {
    TlsMaterial raftServer =
        TlsMaterial.of(
            TestPki.node(clusterA, "m1", NodeRole.MANAGER),
            PeerPolicy.requireRole(NodeRole.MANAGER));
    TlsMaterial client = TlsMaterial.of(TestPki.node(clusterA, "w1", NodeRole.WORKER));

    try (SSLServerSocket listener = listen(raftServer)) {
      Future<PeerIdentity> serverSide = serveOnce(listener);

      assertThatThrownBy(() -> exchange(client, listener.getLocalPort()))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() -> serverSide.get(TIMEOUT_MS, TimeUnit.MILLISECONDS))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining("has role swarm-worker; this endpoint requires swarm-manager");
    }
  }

  /** Offers its certificate whatever certificate authorities the server names. */
  private static final class IssuerBlindKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager delegate;

    IssuerBlindKeyManager(X509ExtendedKeyManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return delegate.chooseEngineClientAlias(keyType, null, engine);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return delegate.chooseClientAlias(keyType, null, socket);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return delegate.getClientAliases(keyType, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate.getPrivateKey(alias);
    }
  }

  private static SSLServerSocket listen(TlsMaterial material) throws IOException {
    SSLServerSocket listener =
        (SSLServerSocket)
            material
                .sslContext()
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    listener.setEnabledProtocols(TLS13);
    listener.setNeedClientAuth(true);
    listener.setSoTimeout(TIMEOUT_MS);
    return listener;
  }

  /** Accepts one connection, echoes one byte, and returns the client's identity. */
  private Future<PeerIdentity> serveOnce(SSLServerSocket listener) {
    return executor.submit(
        () -> {
          try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.startHandshake();
            PeerIdentity client =
                PeerIdentity.of((X509Certificate) socket.getSession().getPeerCertificates()[0]);
            int b = socket.getInputStream().read();
            socket.getOutputStream().write(b);
            socket.getOutputStream().flush();
            return client;
          }
        });
  }

  /**
   * Connects, sends a byte and reads it back (in TLS 1.3 a refused client certificate only shows on
   * read).
   */
  private static PeerIdentity exchange(TlsMaterial material, int port) throws Exception {
    try (SSLSocket socket =
        (SSLSocket)
            material
                .sslContext()
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port)) {
      socket.setEnabledProtocols(TLS13);
      socket.setSoTimeout(TIMEOUT_MS);
      socket.startHandshake();
      socket.getOutputStream().write(42);
      socket.getOutputStream().flush();
      int echoed = socket.getInputStream().read();
      if (echoed != 42) {
        throw new IOException("connection closed instead of echo (got " + echoed + ")");
      }
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      return PeerIdentity.of((X509Certificate) socket.getSession().getPeerCertificates()[0]);
    }
  }
}
