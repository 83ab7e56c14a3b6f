package io.corral.manager.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.manager.ca.RootCA;
import io.corral.manager.ca.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class ClusterTrustManagerTest {

  private final RootCA ca = RootCA.create("cluster-a");
  private final NodeIdentity manager = TestPki.node(ca, "m1", NodeRole.MANAGER);
  private final NodeIdentity worker = TestPki.node(ca, "w1", NodeRole.WORKER);

  @Test
  void acceptsChainsIssuedByTheRootWithOrWithoutTheRootItself() throws CertificateException {
    ClusterTrustManager trust = new ClusterTrustManager(ca.certificate());

    assertThat(trust.verify(worker.chain().toArray(X509Certificate[]::new), true))
        .isEqualTo(new PeerIdentity("w1", NodeRole.WORKER, "cluster-a"));
    assertThatCode(
            () ->
                trust.checkServerTrusted(
                    new X509Certificate[] {manager.certificate()}, "ECDHE_ECDSA"))
        .doesNotThrowAnyException();
    assertThatCode(
            () -> trust.checkClientTrusted(new X509Certificate[] {worker.certificate()}, "UNKNOWN"))
        .doesNotThrowAnyException();
    assertThat(trust.getAcceptedIssuers()).containsExactly(ca.certificate());
  }

  @Test
  void rejectsChainFromAnotherClustersRoot() {
    RootCA otherCa = RootCA.create("cluster-b");
    NodeIdentity stranger = TestPki.node(otherCa, "m1", NodeRole.MANAGER);
    ClusterTrustManager trust = new ClusterTrustManager(ca.certificate());

    assertThatThrownBy(
            () -> trust.checkClientTrusted(stranger.chain().toArray(X509Certificate[]::new), "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining(
            "peer certificate for node m1 is not trusted by this cluster's root CA");
    assertThatThrownBy(
            () -> trust.checkServerTrusted(new X509Certificate[] {stranger.certificate()}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("not trusted");
  }

  @Test
  void rejectsACertificateSignedByAnImpostorRootWithTheSameName() {
    // same subject, same cluster id, different key: only the key may count
    RootCA impostor = RootCA.create("cluster-a");
    NodeIdentity forged = TestPki.node(impostor, "m1", NodeRole.MANAGER);
    ClusterTrustManager trust = new ClusterTrustManager(ca.certificate());

    assertThatThrownBy(() -> trust.verify(forged.chain().toArray(X509Certificate[]::new), true))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("not trusted");
  }

  @Test
  void rejectsWorkerWhenPolicyRequiresManager() {
    ClusterTrustManager trust =
        new ClusterTrustManager(ca.certificate(), PeerPolicy.requireRole(NodeRole.MANAGER));

    assertThatThrownBy(
            () -> trust.checkClientTrusted(new X509Certificate[] {worker.certificate()}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessage(
            "peer certificate for node w1 has role swarm-worker; this endpoint requires swarm-manager");
    assertThatCode(
            () -> trust.checkClientTrusted(new X509Certificate[] {manager.certificate()}, "EC"))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsRemovedNodesFromTheMomentTheyAreRemoved() {
    Set<String> removed = ConcurrentHashMap.newKeySet();
    ClusterTrustManager trust =
        new ClusterTrustManager(
            ca.certificate(),
            PeerPolicy.requireRole(NodeRole.WORKER)
                .and(PeerPolicy.rejectRemoved(removed::contains)));
    X509Certificate[] chain = {worker.certificate()};

    assertThatCode(() -> trust.checkClientTrusted(chain, "EC")).doesNotThrowAnyException();
    removed.add("w1");
    assertThatThrownBy(() -> trust.checkClientTrusted(chain, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("node w1 is refused: the node has been removed");
  }

  @Test
  void rejectsCertificateOfAnotherClusterId() {
    ClusterTrustManager trust =
        new ClusterTrustManager(ca.certificate(), PeerPolicy.requireCluster("cluster-z"));

    assertThatThrownBy(
            () -> trust.checkClientTrusted(new X509Certificate[] {worker.certificate()}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("belongs to cluster cluster-a");
  }

  @Test
  void rejectsExpiredCertificate() {
    NodeIdentity expired = TestPki.expiredNode(ca, "m2", NodeRole.MANAGER);
    assertThat(expired.notAfter()).isBefore(Instant.now());
    ClusterTrustManager trust = new ClusterTrustManager(ca.certificate());

    assertThatThrownBy(
            () -> trust.checkServerTrusted(expired.chain().toArray(X509Certificate[]::new), "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("peer certificate for node m2 expired at");
  }

  @Test
  void rejectsEmptyChainAndRootOnlyChain() {
    ClusterTrustManager trust = new ClusterTrustManager(ca.certificate());

    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[0], "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("no certificate");
    assertThatThrownBy(
            () -> trust.checkClientTrusted(new X509Certificate[] {ca.certificate()}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("only the cluster root");
  }

  @Test
  void rejectsCertificateWithoutClientAuthUsageAsClient() throws Exception {
    // a server-only certificate from the right root, built by hand since RootCA never issues one
    KeyPair keys = NodeKeys.generate();
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                ca.certificate(),
                BigInteger.TEN,
                Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(3600)),
                new X500Name("O=cluster-a,OU=swarm-manager,CN=s1"),
                keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    PrivateKey caKey = Pem.readPrivateKey(ca.keyPem());
    X509Certificate serverOnly =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
    ClusterTrustManager trust = new ClusterTrustManager(ca.certificate());

    assertThatCode(() -> trust.checkServerTrusted(new X509Certificate[] {serverOnly}, "EC"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {serverOnly}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("lacks clientAuth");
  }

  @Test
  void aFailingPolicyRefusesInsteadOfLettingThrough() {
    ClusterTrustManager trust =
        new ClusterTrustManager(
            ca.certificate(),
            peer -> {
              throw new IllegalStateException("store unavailable");
            });

    assertThatThrownBy(
            () -> trust.checkClientTrusted(new X509Certificate[] {worker.certificate()}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("store unavailable");
  }

  @Test
  void peerIdentityNeedsAKnownRole() {
    RootCA other = RootCA.create("cluster-a");
    assertThatThrownBy(() -> PeerIdentity.of(other.certificate()))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("OU");
  }
}
