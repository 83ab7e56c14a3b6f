package io.corral.manager.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts exactly the peers holding a certificate from this cluster's root CA that pass a {@link
 * PeerPolicy}. Peers are identified by certificate CN/OU, as in Docker Swarm, so there is
 * deliberately no host name check: being an {@link X509ExtendedTrustManager}, JSSE hands it the
 * whole decision and adds none of its own.
 */
public final class ClusterTrustManager extends X509ExtendedTrustManager {

  private static final Logger log = LoggerFactory.getLogger(ClusterTrustManager.class);

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private final X509Certificate root;
  private final PeerPolicy policy;

  public ClusterTrustManager(X509Certificate root, PeerPolicy policy) {
    this.root = Objects.requireNonNull(root, "root");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** Trusts any node of the cluster. */
  public ClusterTrustManager(X509Certificate root) {
    this(root, PeerPolicy.any());
  }

  /**
   * Validates a peer chain (leaf first) as this trust manager does in a handshake and returns who
   * the peer is.
   *
   * @param asClient true to check a client's certificate (clientAuth), false for a server's
   *     (serverAuth)
   * @throws CertificateException saying which node was refused and why
   */
  public PeerIdentity verify(X509Certificate[] chain, boolean asClient)
      throws CertificateException {
    try {
      return verifyOrThrow(chain, asClient);
    } catch (CertificateException e) {
      log.debug("refused TLS peer: {}", e.getMessage());
      throw e;
    }
  }

  private PeerIdentity verifyOrThrow(X509Certificate[] chain, boolean asClient)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("peer presented no certificate");
    }
    X509Certificate leaf = chain[0];
    String who = describe(leaf);
    checkValidity(leaf, who);
    checkPath(chain, who);
    checkPurpose(leaf, who, asClient);
    PeerIdentity peer = PeerIdentity.of(leaf);
    try {
      policy.check(peer);
    } catch (RuntimeException e) {
      // A failing policy must refuse the peer, never let it through or break the handshake
      // obscurely.
      throw new CertificateException("peer policy failed for node " + peer.nodeId() + ": " + e, e);
    }
    return peer;
  }

  private static void checkValidity(X509Certificate leaf, String who) throws CertificateException {
    // Checked before the path so that the common case gets a plain message instead of PKIX's.
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new CertificateException(who + " expired at " + leaf.getNotAfter().toInstant(), e);
    } catch (CertificateNotYetValidException e) {
      throw new CertificateException(
          who + " is not valid before " + leaf.getNotBefore().toInstant(), e);
    }
  }

  private void checkPath(X509Certificate[] chain, String who) throws CertificateException {
    // The root is the trust anchor; a copy of it inside the path would make PKIX treat it as an
    // issued cert.
    List<X509Certificate> path = Arrays.stream(chain).filter(cert -> !cert.equals(root)).toList();
    if (path.isEmpty()) {
      throw new CertificateException(
          "peer presented only the cluster root certificate, not a node certificate");
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      // No CRL/OCSP infrastructure exists; removed nodes are refused by the PeerPolicy instead.
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (CertPathValidatorException e) {
      throw new CertificateException(
          who
              + " is not trusted by this cluster's root CA "
              + root.getSubjectX500Principal()
              + ": "
              + e.getMessage(),
          e);
    } catch (InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("root certificate cannot serve as a trust anchor", e);
    } catch (GeneralSecurityException e) {
      throw new CertificateException("cannot validate " + who + ": " + e.getMessage(), e);
    }
  }

  private static void checkPurpose(X509Certificate leaf, String who, boolean asClient)
      throws CertificateParsingException, CertificateException {
    List<String> usages = leaf.getExtendedKeyUsage();
    String required = asClient ? CLIENT_AUTH : SERVER_AUTH;
    // No extension at all means "any purpose" (RFC 5280).
    if (usages != null && !usages.contains(required) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
      throw new CertificateException(
          who
              + " is not allowed for TLS "
              + (asClient ? "clients" : "servers")
              + " (extendedKeyUsage lacks "
              + (asClient ? "clientAuth" : "serverAuth")
              + ")");
    }
  }

  private static String describe(X509Certificate leaf) {
    try {
      String cn = PeerIdentity.attribute(PeerIdentity.subject(leaf), BCStyle.CN);
      if (cn != null) {
        return "peer certificate for node " + cn;
      }
    } catch (CertificateException | RuntimeException e) {
      // fall through to the raw subject
    }
    return "peer certificate " + leaf.getSubjectX500Principal();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain, true);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain, false);
  }

  // The socket/engine variants are where JSSE would expect a host name check; omitting it is the
  // point.

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain, true);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain, false);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, true);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, false);
  }

  /**
   * The cluster root, which a server names in its certificate request so clients pick the right
   * certificate.
   */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {root};
  }
}
