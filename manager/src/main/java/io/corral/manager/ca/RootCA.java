package io.corral.manager.ca;

import io.corral.manager.tls.NodeKeys;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerIdentity;
import io.corral.manager.tls.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.util.IPAddress;
import org.bouncycastle.util.encoders.Hex;

/**
 * A cluster's root certificate authority: its key and self-signed certificate, and the issuing of
 * node certificates.
 */
public final class RootCA {

  public static final String COMMON_NAME = "corral-root-ca";
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(20L * 365);

  /**
   * Node certificates start this far in the past so that a peer whose clock runs a little behind
   * accepts them.
   */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final String clusterId;
  // Only tests set another clock, to issue certificates that are already expired.
  private final Clock clock;

  private RootCA(
      X509Certificate certificate, PrivateKey privateKey, String clusterId, Clock clock) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.clusterId = clusterId;
    this.clock = clock;
  }

  /** A new root CA for the cluster, valid for {@link #DEFAULT_VALIDITY}. */
  public static RootCA create(String clusterId) {
    return create(clusterId, DEFAULT_VALIDITY);
  }

  /**
   * A new root CA for the cluster: a fresh P-256 key and a self-signed CA certificate
   * (CN=corral-root-ca, O=clusterId).
   */
  public static RootCA create(String clusterId, Duration validity) {
    return create(clusterId, validity, Clock.systemUTC());
  }

  static RootCA create(String clusterId, Duration validity, Clock clock) {
    requireText(clusterId, "cluster id");
    requirePositive(validity);
    KeyPair keys = NodeKeys.generate();
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, clusterId)
            .addRDN(BCStyle.CN, COMMON_NAME)
            .build();
    Instant now = clock.instant();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  randomSerial(),
                  Date.from(now.minus(CLOCK_SKEW)),
                  Date.from(now.plus(validity)),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(builder, keys.getPrivate());
      return new RootCA(cert, keys.getPrivate(), clusterId, clock);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the root CA certificate", e);
    }
  }

  /**
   * The root CA stored as PEM (certificate and unencrypted private key).
   *
   * @throws IllegalArgumentException if the texts are not PEM, the certificate is not a CA
   *     certificate with an O (cluster id), or the key does not belong to the certificate
   */
  public static RootCA fromPem(String certPem, String keyPem) {
    X509Certificate cert = Pem.readCertificate(certPem);
    PrivateKey key = Pem.readPrivateKey(keyPem);
    if (cert.getBasicConstraints() < 0) {
      throw new IllegalArgumentException(
          "certificate "
              + cert.getSubjectX500Principal()
              + " is not a CA certificate (basicConstraints CA:true missing)");
    }
    if (!NodeKeys.belongTogether(key, cert.getPublicKey())) {
      throw new IllegalArgumentException(
          "the private key does not belong to root CA certificate "
              + cert.getSubjectX500Principal());
    }
    String clusterId;
    try {
      clusterId = PeerIdentity.attribute(PeerIdentity.subject(cert), BCStyle.O);
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot read the root CA certificate's subject", e);
    }
    if (clusterId == null || clusterId.isBlank()) {
      throw new IllegalArgumentException(
          "root CA certificate " + cert.getSubjectX500Principal() + " has no O (cluster id)");
    }
    return new RootCA(cert, key, clusterId, Clock.systemUTC());
  }

  /**
   * "sha256:" followed by the lower-case hex SHA-256 of the certificate's DER encoding: the form
   * join tokens carry, so that a joining node can check the CA certificate a manager hands it.
   */
  public static String digestOf(X509Certificate certificate) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return "sha256:" + Hex.toHexString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException(
          "cannot DER-encode certificate " + certificate.getSubjectX500Principal(), e);
    }
  }

  /** This CA issuing as if the time were {@code clock}'s. */
  RootCA withClock(Clock clock) {
    return new RootCA(certificate, privateKey, clusterId, clock);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The cluster id this CA was created for (the O of its certificate). */
  public String clusterId() {
    return clusterId;
  }

  public String certPem() {
    return Pem.certificate(certificate);
  }

  /** The CA private key as unencrypted PKCS#8 PEM; whoever stores it must protect it. */
  public String keyPem() {
    return Pem.privateKey(privateKey);
  }

  /** See {@link #digestOf(X509Certificate)}. */
  public String digest() {
    return digestOf(certificate);
  }

  /**
   * Like {@link #issue(PKCS10CertificationRequest, String, NodeRole, String, Duration, List)} for a
   * DER-encoded CSR.
   */
  public X509Certificate issue(
      byte[] csrDer,
      String nodeId,
      NodeRole role,
      String clusterId,
      Duration validity,
      List<String> sanHosts) {
    Objects.requireNonNull(csrDer, "csr");
    PKCS10CertificationRequest csr;
    try {
      csr = new PKCS10CertificationRequest(csrDer);
    } catch (IOException | RuntimeException e) {
      // bouncycastle reports some malformed structures as runtime exceptions rather than
      // IOException.
      throw new IllegalArgumentException(
          "not a valid DER-encoded PKCS#10 certificate signing request: " + e.getMessage(), e);
    }
    return issue(csr, nodeId, role, clusterId, validity, sanHosts);
  }

  /**
   * Issues a node certificate for the CSR's public key: subject CN=nodeId, OU=role, O=clusterId;
   * SANs DNS:nodeId plus each host (IP literals, v4 or v6, as IP addresses, others as DNS names);
   * serverAuth+clientAuth; a random 128-bit serial; valid from a minute ago (clock skew) for {@code
   * validity}, but never beyond this CA. The CSR's own subject is ignored: the CA, not the
   * requester, decides who the certificate names.
   *
   * @throws IllegalArgumentException if the CSR's signature does not verify, or an argument is
   *     blank or invalid
   */
  public X509Certificate issue(
      PKCS10CertificationRequest csr,
      String nodeId,
      NodeRole role,
      String clusterId,
      Duration validity,
      List<String> sanHosts) {
    Objects.requireNonNull(csr, "csr");
    requireText(nodeId, "node id");
    Objects.requireNonNull(role, "role");
    requireText(clusterId, "cluster id");
    requirePositive(validity);
    PublicKey nodeKey = verifiedPublicKey(csr);
    GeneralNames sans = subjectAlternativeNames(nodeId, sanHosts == null ? List.of() : sanHosts);

    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, clusterId)
            .addRDN(BCStyle.OU, role.ou())
            .addRDN(BCStyle.CN, nodeId)
            .build();
    Instant now = clock.instant();
    Instant notBefore = now.minus(CLOCK_SKEW);
    // A certificate outliving its issuer would fail path validation anyway; cap it so its expiry
    // (and
    // hence its renewal time) is honest.
    Instant notAfter = earliest(now.plus(validity), certificate.getNotAfter().toInstant());
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  randomSerial(),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  subject,
                  nodeKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(Extension.subjectAlternativeName, false, sans)
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(nodeKey))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      return sign(builder, privateKey);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the certificate for node " + nodeId, e);
    }
  }

  /** The CSR's public key, after proving the requester holds the matching private key. */
  private static PublicKey verifiedPublicKey(PKCS10CertificationRequest csr) {
    PublicKey key;
    try {
      // Converted to a JCA key first: SunEC cannot build a key factory from the bare EC algorithm
      // OID.
      key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "unsupported or malformed public key in CSR: " + e.getMessage(), e);
    }
    boolean valid;
    try {
      valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
    } catch (OperatorCreationException | PKCSException | RuntimeException e) {
      throw new IllegalArgumentException("cannot verify the CSR's signature: " + e.getMessage(), e);
    }
    if (!valid) {
      throw new IllegalArgumentException(
          "CSR signature does not verify against the CSR's own public key "
              + "(the request was altered or not signed by the key holder); refusing to issue a certificate");
    }
    return key;
  }

  private static GeneralNames subjectAlternativeNames(String nodeId, List<String> hosts) {
    // The node id is always a DNS SAN so that a TLS stack insisting on a SAN finds one; duplicates
    // are dropped.
    Set<String> names = new LinkedHashSet<>();
    names.add(nodeId);
    names.addAll(hosts);
    List<GeneralName> result = new ArrayList<>();
    for (String raw : names) {
      if (raw == null || raw.isBlank() || raw.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("invalid SAN host '" + raw + "'");
      }
      String host =
          raw.startsWith("[") && raw.endsWith("]") ? raw.substring(1, raw.length() - 1) : raw;
      try {
        result.add(
            IPAddress.isValid(host)
                ? new GeneralName(GeneralName.iPAddress, host)
                : new GeneralName(GeneralName.dNSName, host));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid SAN host '" + raw + "': " + e.getMessage(), e);
      }
    }
    return new GeneralNames(result.toArray(GeneralName[]::new));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws CertificateException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with the CA key: " + e.getMessage(), e);
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    // Our CAs are always EC, but a CA imported from PEM may carry an RSA key.
    return "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : NodeKeys.SIGNATURE_ALGORITHM;
  }

  private static BigInteger randomSerial() {
    // 128 random bits: unpredictable and unique without keeping a counter; serials must be
    // positive.
    SecureRandom random = new SecureRandom();
    BigInteger serial;
    do {
      serial = new BigInteger(128, random);
    } while (serial.signum() == 0);
    return serial;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  private static void requirePositive(Duration validity) {
    if (validity == null || validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be a positive duration, got " + validity);
    }
  }
}
