package io.corral.manager.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Generates a node's ECDSA P-256 key pair and the PKCS#10 request it sends to the CA. */
public final class NodeKeys {

  public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private NodeKeys() {}

  /** A fresh ECDSA key pair on curve P-256 (secp256r1). */
  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
      // Every Java 17 runtime ships SunEC with P-256; reaching this means a broken JRE.
      throw new IllegalStateException("ECDSA P-256 is not available in this Java runtime", e);
    }
  }

  /**
   * A DER-encoded PKCS#10 certificate signing request for the key pair, signed with its private
   * key. The CA decides the final subject itself; the common name here only helps humans reading
   * the CSR.
   */
  public static byte[] csr(KeyPair keyPair, String commonName) {
    if (commonName == null || commonName.isBlank()) {
      throw new IllegalArgumentException("a CSR needs a non-blank common name");
    }
    try {
      var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
      var signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(keyPair.getPrivate());
      return new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic())
          .build(signer)
          .getEncoded();
    } catch (OperatorCreationException e) {
      throw new IllegalArgumentException("cannot sign a CSR with this key: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot DER-encode the CSR", e);
    }
  }

  /**
   * Whether the private key is the partner of the public key, proven by signing and verifying a
   * random challenge; this works for any key type without comparing key internals.
   */
  public static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
    String algorithm =
        switch (publicKey.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> publicKey.getAlgorithm();
        };
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // Mismatched key types (e.g. an RSA private key against an EC certificate) land here.
      return false;
    }
  }
}
