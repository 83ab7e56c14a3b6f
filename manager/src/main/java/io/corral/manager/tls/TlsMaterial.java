package io.corral.manager.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The key manager (our certificate and key) and trust manager (the cluster root plus a peer policy)
 * for one node identity, ready for Ratis' {@code GrpcTlsConfig}, grpc-java's {@code
 * GrpcSslContexts} or a plain {@link SSLContext}. Protocol versions are the caller's to configure.
 */
public record TlsMaterial(
    X509ExtendedKeyManager keyManager, X509ExtendedTrustManager trustManager) {

  // The key store only ever lives in memory, so its password protects nothing; JSSE merely requires
  // one.
  private static final char[] IN_MEMORY_PASSWORD = "corral".toCharArray();

  public TlsMaterial {
    Objects.requireNonNull(keyManager, "keyManager");
    Objects.requireNonNull(trustManager, "trustManager");
  }

  /** Material that trusts any node of the identity's cluster. */
  public static TlsMaterial of(NodeIdentity identity) {
    return of(identity, PeerPolicy.any());
  }

  /** Material presenting the identity and trusting peers from its root that pass the policy. */
  public static TlsMaterial of(NodeIdentity identity, PeerPolicy policy) {
    return new TlsMaterial(
        keyManager(identity), new ClusterTrustManager(identity.rootCertificate(), policy));
  }

  /**
   * A key manager presenting the identity's chain (node certificate, root) with its private key.
   */
  public static X509ExtendedKeyManager keyManager(NodeIdentity identity) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          identity.nodeId(),
          identity.privateKey(),
          IN_MEMORY_PASSWORD,
          identity.chain().toArray(Certificate[]::new));
      // "PKIX" (not the legacy "SunX509") chooses by key type, issuer and extended key usage per
      // handshake.
      KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
      factory.init(store, IN_MEMORY_PASSWORD);
      for (KeyManager manager : factory.getKeyManagers()) {
        if (manager instanceof X509ExtendedKeyManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException(
          "the PKIX KeyManagerFactory produced no X509ExtendedKeyManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "cannot build a key manager for node " + identity.nodeId(), e);
    }
  }

  /** A TLS context using this material, for plain JSSE sockets (e.g. tests, the CLI). */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
      return context;
    } catch (NoSuchAlgorithmException | KeyManagementException e) {
      throw new IllegalStateException("cannot create a TLS context", e);
    }
  }
}
