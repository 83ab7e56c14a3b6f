package io.corral.manager.tls;

import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * Who a node certificate names: node id (CN), role (OU) and cluster id (O). This is what RPC
 * authorisation looks at; host names play no part.
 */
public record PeerIdentity(String nodeId, NodeRole role, String clusterId) {

  public PeerIdentity {
    if (nodeId == null || nodeId.isBlank()) {
      throw new IllegalArgumentException("node id must not be blank");
    }
    if (role == null) {
      throw new IllegalArgumentException("role must not be null");
    }
    if (clusterId == null || clusterId.isBlank()) {
      throw new IllegalArgumentException("cluster id must not be blank");
    }
  }

  /**
   * Reads the identity from a node certificate's subject.
   *
   * @throws CertificateException if the subject lacks CN, O or a known role OU
   */
  public static PeerIdentity of(X509Certificate certificate) throws CertificateException {
    X500Name subject = subject(certificate);
    String nodeId = single(subject, BCStyle.CN, "CN (node id)");
    String ou = single(subject, BCStyle.OU, "OU (role)");
    String clusterId = single(subject, BCStyle.O, "O (cluster id)");
    NodeRole role;
    try {
      role = NodeRole.fromOu(ou);
    } catch (IllegalArgumentException e) {
      throw new CertificateException("certificate for node " + nodeId + ": " + e.getMessage(), e);
    }
    return new PeerIdentity(nodeId, role, clusterId);
  }

  public static X500Name subject(X509Certificate certificate) throws CertificateEncodingException {
    return new JcaX509CertificateHolder(certificate).getSubject();
  }

  /**
   * The value of an attribute that must appear exactly once, or null when absent (for optional
   * use).
   */
  public static String attribute(X500Name name, ASN1ObjectIdentifier type) {
    RDN[] rdns = name.getRDNs(type);
    if (rdns.length != 1) {
      return null;
    }
    // The raw string, not IETFUtils' RFC 4514 form, which would backslash-escape characters like
    // ','.
    ASN1Encodable value = rdns[0].getFirst().getValue();
    return value instanceof ASN1String text ? text.getString() : IETFUtils.valueToString(value);
  }

  private static String single(X500Name subject, ASN1ObjectIdentifier type, String what)
      throws CertificateException {
    String value = attribute(subject, type);
    if (value == null || value.isBlank()) {
      throw new CertificateException(
          "certificate subject '" + subject + "' must carry exactly one non-empty " + what);
    }
    return value;
  }
}
