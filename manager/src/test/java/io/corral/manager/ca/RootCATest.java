package io.corral.manager.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeKeys;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerIdentity;
import io.corral.manager.tls.Pem;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class RootCATest {

  private static final String CLUSTER = "cl7x2k9p";

  @Test
  void createsSelfSignedP256CaForTheCluster() throws Exception {
    RootCA ca = RootCA.create(CLUSTER);
    X509Certificate cert = ca.certificate();

    X500Name subject = PeerIdentity.subject(cert);
    assertThat(PeerIdentity.attribute(subject, BCStyle.CN)).isEqualTo("corral-root-ca");
    assertThat(PeerIdentity.attribute(subject, BCStyle.O)).isEqualTo(CLUSTER);
    assertThat(ca.clusterId()).isEqualTo(CLUSTER);
    assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    cert.verify(cert.getPublicKey());
    assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    // keyUsage bits: [5] keyCertSign, [6] cRLSign, nothing else
    boolean[] usage = cert.getKeyUsage();
    for (int bit = 0; bit < usage.length; bit++) {
      assertThat(usage[bit]).as("keyUsage bit %d", bit).isEqualTo(bit == 5 || bit == 6);
    }
    assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(cert.getPublicKey().toString()).contains("secp256r1");
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    Duration lifetime =
        Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
    assertThat(lifetime)
        .isBetween(Duration.ofDays(20 * 365), Duration.ofDays(20 * 365).plusMinutes(2));
  }

  @Test
  void pemRoundTripKeepsCertificateKeyAndDigest() {
    RootCA ca = RootCA.create(CLUSTER, Duration.ofDays(30));

    assertThat(ca.certPem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(ca.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    RootCA again = RootCA.fromPem(ca.certPem(), ca.keyPem());

    assertThat(again.certificate()).isEqualTo(ca.certificate());
    assertThat(again.clusterId()).isEqualTo(CLUSTER);
    assertThat(again.digest()).isEqualTo(ca.digest());
    assertThat(again.keyPem()).isEqualTo(ca.keyPem());
    // the reloaded key still signs certificates that the original certificate verifies
    NodeIdentity node = TestPki.node(again, "node1", NodeRole.WORKER);
    assertThat(node.rootCertificate()).isEqualTo(ca.certificate());
  }

  @Test
  void digestIsStableSha256OfDerAndDiffersBetweenCas() throws Exception {
    RootCA ca = RootCA.create(CLUSTER);
    String digest = ca.digest();

    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(ca.digest()).isEqualTo(digest);
    assertThat(RootCA.digestOf(Pem.readCertificate(ca.certPem()))).isEqualTo(digest);
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(ca.certificate().getEncoded());
    assertThat(digest).isEqualTo("sha256:" + String.format("%064x", new BigInteger(1, hash)));
    assertThat(RootCA.create(CLUSTER).digest()).isNotEqualTo(digest);
  }

  @Test
  void fromPemRefusesAKeyOfAnotherCa() {
    RootCA ca = RootCA.create(CLUSTER);
    RootCA other = RootCA.create(CLUSTER);

    assertThatThrownBy(() -> RootCA.fromPem(ca.certPem(), other.keyPem()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void fromPemRefusesANonCaCertificate() {
    RootCA ca = RootCA.create(CLUSTER);
    KeyPair keys = NodeKeys.generate();
    X509Certificate leaf =
        ca.issue(
            NodeKeys.csr(keys, "n"), "n", NodeRole.MANAGER, CLUSTER, Duration.ofDays(1), List.of());

    assertThatThrownBy(
            () -> RootCA.fromPem(Pem.certificate(leaf), Pem.privateKey(keys.getPrivate())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a CA certificate");
  }

  @Test
  void issuesNodeCertificateFromCsr() throws Exception {
    RootCA ca = RootCA.create(CLUSTER);
    KeyPair keys = NodeKeys.generate();
    Instant before = Instant.now();

    X509Certificate cert =
        ca.issue(
            NodeKeys.csr(keys, "whatever-the-node-asked"),
            "x8k2m4n6p0q",
            NodeRole.MANAGER,
            CLUSTER,
            Duration.ofDays(90),
            List.of("mgr1.example.org", "10.0.0.5", "fd00::5", "[::1]", "x8k2m4n6p0q"));

    PeerIdentity who = PeerIdentity.of(cert);
    assertThat(who).isEqualTo(new PeerIdentity("x8k2m4n6p0q", NodeRole.MANAGER, CLUSTER));
    assertThat(PeerIdentity.attribute(PeerIdentity.subject(cert), BCStyle.OU))
        .isEqualTo("swarm-manager");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());

    assertThat(sans(cert))
        .containsExactly(
            List.of(2, "x8k2m4n6p0q"),
            List.of(2, "mgr1.example.org"),
            List.of(7, "10.0.0.5"),
            List.of(7, "fd00:0:0:0:0:0:0:5"),
            List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(cert.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    boolean[] usage = cert.getKeyUsage();
    assertThat(usage[0]).as("digitalSignature").isTrue();
    assertThat(usage[2]).as("keyEncipherment").isTrue();
    assertThat(usage[5]).as("keyCertSign").isFalse();
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);

    assertThat(cert.getSerialNumber().signum()).isPositive();
    assertThat(cert.getSerialNumber().bitLength()).isBetween(100, 128);
    Instant notBefore = cert.getNotBefore().toInstant();
    assertThat(notBefore).isBetween(before.minusSeconds(62), before.minusSeconds(58));
    assertThat(Duration.between(notBefore, cert.getNotAfter().toInstant()))
        .isBetween(Duration.ofDays(90).plusSeconds(58), Duration.ofDays(90).plusSeconds(65));
  }

  @Test
  void workerRoleUsesDockersOu() throws Exception {
    RootCA ca = RootCA.create(CLUSTER);
    KeyPair keys = NodeKeys.generate();
    X509Certificate cert =
        ca.issue(
            new PKCS10CertificationRequest(NodeKeys.csr(keys, "w1")),
            "w1",
            NodeRole.WORKER,
            CLUSTER,
            Duration.ofDays(1),
            null);

    assertThat(PeerIdentity.attribute(PeerIdentity.subject(cert), BCStyle.OU))
        .isEqualTo("swarm-worker");
    assertThat(sans(cert)).containsExactly(List.of(2, "w1"));
  }

  @Test
  void serialsAreRandomAndUnique() {
    RootCA ca = RootCA.create(CLUSTER);
    KeyPair keys = NodeKeys.generate();
    byte[] csr = NodeKeys.csr(keys, "n");
    Set<BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      serials.add(
          ca.issue(csr, "n", NodeRole.WORKER, CLUSTER, Duration.ofDays(1), List.of())
              .getSerialNumber());
    }
    assertThat(serials).hasSize(20);
  }

  @Test
  void nodeCertificateNeverOutlivesTheCa() {
    RootCA ca = RootCA.create(CLUSTER, Duration.ofDays(10));
    KeyPair keys = NodeKeys.generate();
    X509Certificate cert =
        ca.issue(
            NodeKeys.csr(keys, "n"), "n", NodeRole.WORKER, CLUSTER, Duration.ofDays(90), List.of());

    assertThat(cert.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
  }

  @Test
  void refusesCsrWhoseSignedContentWasAltered() throws Exception {
    RootCA ca = RootCA.create(CLUSTER);
    byte[] csr = NodeKeys.csr(NodeKeys.generate(), "node-1");
    byte[] tampered = csr.clone();
    int at = indexOf(tampered, "node-1".getBytes(StandardCharsets.US_ASCII));
    assertThat(at).isNotNegative();
    tampered[at + 5] = '2';
    // still a well-formed CSR, only the signature no longer matches
    assertThat(new PKCS10CertificationRequest(tampered).getSubject().toString())
        .isEqualTo("CN=node-2");

    assertThatThrownBy(
            () ->
                ca.issue(
                    tampered, "node-2", NodeRole.MANAGER, CLUSTER, Duration.ofDays(1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CSR signature does not verify");
    // the untouched CSR is fine
    assertThat(ca.issue(csr, "node-1", NodeRole.MANAGER, CLUSTER, Duration.ofDays(1), List.of()))
        .isNotNull();
  }

  @Test
  void refusesCsrSignedByAnotherKey() throws Exception {
    RootCA ca = RootCA.create(CLUSTER);
    KeyPair victim = NodeKeys.generate();
    KeyPair attacker = NodeKeys.generate();
    // claims the victim's public key without holding its private key
    PKCS10CertificationRequest csr =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=n"), victim.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(attacker.getPrivate()));

    assertThatThrownBy(
            () -> ca.issue(csr, "n", NodeRole.MANAGER, CLUSTER, Duration.ofDays(1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CSR signature does not verify");
  }

  @Test
  void refusesBytesThatAreNotACsr() {
    RootCA ca = RootCA.create(CLUSTER);

    assertThatThrownBy(
            () ->
                ca.issue(
                    new byte[] {1, 2, 3},
                    "n",
                    NodeRole.WORKER,
                    CLUSTER,
                    Duration.ofDays(1),
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PKCS#10");
  }

  @Test
  void refusesBadArguments() {
    RootCA ca = RootCA.create(CLUSTER);
    byte[] csr = NodeKeys.csr(NodeKeys.generate(), "n");

    assertThatThrownBy(
            () -> ca.issue(csr, " ", NodeRole.WORKER, CLUSTER, Duration.ofDays(1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node id");
    assertThatThrownBy(() -> ca.issue(csr, "n", NodeRole.WORKER, CLUSTER, Duration.ZERO, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("validity");
    assertThatThrownBy(
            () -> ca.issue(csr, "n", NodeRole.WORKER, CLUSTER, Duration.ofDays(1), List.of("a b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SAN");
    assertThatThrownBy(() -> RootCA.create(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster id");
  }

  @Test
  void nodeRoleParsesOu() {
    assertThat(NodeRole.fromOu("swarm-manager")).isEqualTo(NodeRole.MANAGER);
    assertThat(NodeRole.fromOu("swarm-worker")).isEqualTo(NodeRole.WORKER);
    assertThat(NodeRole.WORKER.ou()).isEqualTo("swarm-worker");
    assertThatThrownBy(() -> NodeRole.fromOu("admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("admin");
  }

  private static List<List<Object>> sans(X509Certificate cert) throws Exception {
    Collection<List<?>> names = cert.getSubjectAlternativeNames();
    List<List<Object>> result = new ArrayList<>();
    for (List<?> name : names) {
      result.add(List.of(name.get(0), name.get(1)));
    }
    return result;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}
