package io.corral.manager.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * PEM encoding and decoding of certificates and private keys (through bouncycastle), for files and
 * the wire.
 */
public final class Pem {

  private Pem() {}

  /** A certificate as a "CERTIFICATE" PEM block. */
  public static String certificate(X509Certificate certificate) {
    return write(certificate);
  }

  /** Unencrypted PKCS#8 ("PRIVATE KEY"), the form every TLS stack and openssl read. */
  public static String privateKey(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null));
    } catch (PemGenerationException e) {
      throw new IllegalArgumentException(
          "cannot encode private key as PKCS#8: " + e.getMessage(), e);
    }
  }

  /**
   * A DER-encoded PKCS#10 request (as {@link NodeKeys#csr} makes) as a "CERTIFICATE REQUEST" PEM
   * block.
   */
  public static String certificationRequest(byte[] der) {
    try {
      return write(new PKCS10CertificationRequest(der));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "not a DER-encoded PKCS#10 certificate signing request: " + e.getMessage(), e);
    }
  }

  /** The first PKCS#10 certificate signing request in a PEM text. */
  public static PKCS10CertificationRequest readCertificationRequest(String pem) {
    Object object = readFirst(pem, "certificate signing request");
    if (!(object instanceof PKCS10CertificationRequest csr)) {
      throw new IllegalArgumentException(
          "PEM text holds a " + describe(object) + ", not a certificate signing request");
    }
    return csr;
  }

  /** The first certificate in a PEM text. */
  public static X509Certificate readCertificate(String pem) {
    Object object = readFirst(pem, "certificate");
    if (!(object instanceof X509CertificateHolder holder)) {
      throw new IllegalArgumentException(
          "PEM text holds a " + describe(object) + ", not a certificate");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("invalid certificate in PEM text: " + e.getMessage(), e);
    }
  }

  /** A private key in PKCS#8 or traditional OpenSSL ("EC PRIVATE KEY") form. */
  public static PrivateKey readPrivateKey(String pem) {
    Object object = readFirst(pem, "private key");
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid private key in PEM text: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        "PEM text holds a " + describe(object) + ", not an unencrypted private key");
  }

  private static Object readFirst(String pem, String what) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException("no PEM text given for the " + what);
    }
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (object == null) {
        throw new IllegalArgumentException("no PEM block found where a " + what + " was expected");
      }
      return object;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "malformed PEM text for the " + what + ": " + e.getMessage(), e);
    }
  }

  private static String write(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      // Writing to a StringWriter cannot fail for I/O reasons; only encoding errors land here.
      throw new UncheckedIOException("cannot PEM-encode " + describe(object), e);
    }
    return out.toString();
  }

  private static String describe(Object object) {
    return object.getClass().getSimpleName();
  }
}
