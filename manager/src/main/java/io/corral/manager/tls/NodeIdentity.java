package io.corral.manager.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * A node's TLS identity: its private key, its certificate and the cluster root certificate that
 * issued it, with how it is stored in the node's data directory.
 */
public record NodeIdentity(
    PrivateKey privateKey, X509Certificate certificate, X509Certificate rootCertificate) {

  public static final String KEY_FILE = "node.key";
  public static final String CERT_FILE = "node.crt";
  public static final String CA_FILE = "ca.crt";

  private static final String KEY_MODE = "rw-------";
  private static final String CERT_MODE = "rw-r--r--";
  private static final String DIR_MODE = "rwx------";

  /**
   * @throws IllegalArgumentException if the key does not belong to the certificate, the certificate
   *     was not issued by the root, or its subject is not a node subject (CN, known OU, O)
   */
  public NodeIdentity {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(rootCertificate, "rootCertificate");
    if (!NodeKeys.belongTogether(privateKey, certificate.getPublicKey())) {
      throw new IllegalArgumentException(
          "the private key does not belong to certificate "
              + certificate.getSubjectX500Principal());
    }
    try {
      certificate.verify(rootCertificate.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "certificate "
              + certificate.getSubjectX500Principal()
              + " was not issued by root "
              + rootCertificate.getSubjectX500Principal(),
          e);
    }
    try {
      PeerIdentity.of(certificate);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a node certificate: " + e.getMessage(), e);
    }
  }

  /** The node id, role and cluster id named by the certificate. */
  public PeerIdentity identity() {
    try {
      return PeerIdentity.of(certificate);
    } catch (CertificateException e) {
      // The constructor already parsed the same certificate successfully.
      throw new IllegalStateException(e);
    }
  }

  public String nodeId() {
    return identity().nodeId();
  }

  public NodeRole role() {
    return identity().role();
  }

  public String clusterId() {
    return identity().clusterId();
  }

  public Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /** The chain a node presents in TLS: its certificate, then the root. */
  public List<X509Certificate> chain() {
    return List.of(certificate, rootCertificate);
  }

  /** See {@link #renewalDelay(Random, Instant)}; measured from now. */
  public Duration renewalDelay(Random random) {
    return renewalDelay(random, Instant.now());
  }

  /**
   * How long to wait before renewing: until a uniformly random point between 50 % and 80 % of the
   * certificate's lifetime (from notBefore), so that nodes issued together do not all renew at
   * once; zero if that point has passed.
   */
  public Duration renewalDelay(Random random, Instant now) {
    long lifetimeMillis = Duration.between(notBefore(), notAfter()).toMillis();
    double fraction = 0.5 + 0.3 * random.nextDouble();
    Instant renewAt = notBefore().plusMillis((long) (lifetimeMillis * fraction));
    Duration delay = Duration.between(now, renewAt);
    return delay.isNegative() ? Duration.ZERO : delay;
  }

  /**
   * Writes {@value #KEY_FILE} (PKCS#8 PEM, mode 0600), {@value #CERT_FILE} and {@value #CA_FILE}
   * into the directory, creating it (mode 0700) if needed. Each file is replaced atomically; the
   * node certificate goes last, so a crash part-way leaves the old certificate next to a new key,
   * which {@link #load} then reports.
   */
  public void save(Path dir) throws IOException {
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      if (posix) {
        Files.createDirectories(
            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(DIR_MODE)));
      } else {
        Files.createDirectories(dir);
      }
    }
    writeAtomically(dir, CA_FILE, Pem.certificate(rootCertificate), CERT_MODE, posix);
    writeAtomically(dir, KEY_FILE, Pem.privateKey(privateKey), KEY_MODE, posix);
    writeAtomically(dir, CERT_FILE, Pem.certificate(certificate), CERT_MODE, posix);
    syncDirectory(dir);
  }

  /**
   * Reads an identity written by {@link #save}.
   *
   * @throws java.nio.file.NoSuchFileException if a file is missing
   * @throws IOException if a file cannot be read or holds something that is not a valid, matching
   *     identity
   */
  public static NodeIdentity load(Path dir) throws IOException {
    String keyPem = Files.readString(dir.resolve(KEY_FILE), StandardCharsets.US_ASCII);
    String certPem = Files.readString(dir.resolve(CERT_FILE), StandardCharsets.US_ASCII);
    String caPem = Files.readString(dir.resolve(CA_FILE), StandardCharsets.US_ASCII);
    try {
      return new NodeIdentity(
          Pem.readPrivateKey(keyPem), Pem.readCertificate(certPem), Pem.readCertificate(caPem));
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid node identity in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The identity in the directory, or empty if none of its files exist (a node that never joined).
   *
   * @throws IOException if only some of the files exist, or as for {@link #load}
   */
  public static Optional<NodeIdentity> loadIfPresent(Path dir) throws IOException {
    List<String> files = List.of(KEY_FILE, CERT_FILE, CA_FILE);
    List<String> missing = files.stream().filter(name -> !Files.exists(dir.resolve(name))).toList();
    if (missing.size() == files.size()) {
      return Optional.empty();
    }
    if (!missing.isEmpty()) {
      // Half an identity is not "no identity": silently re-joining would orphan the node's old
      // record.
      throw new IOException(
          "incomplete node identity in " + dir + ": missing " + String.join(", ", missing));
    }
    return Optional.of(load(dir));
  }

  /** Keeps the private key out of logs. */
  @Override
  public String toString() {
    return "NodeIdentity["
        + certificate.getSubjectX500Principal()
        + ", notAfter="
        + notAfter()
        + "]";
  }

  private static void writeAtomically(
      Path dir, String name, String content, String mode, boolean posix) throws IOException {
    // The permissions are given at creation, so the key is never readable by others, not even
    // briefly.
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))
            }
            : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, "." + name + ".", ".tmp", attributes);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.move(
          temp,
          dir.resolve(name),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  private static void syncDirectory(Path dir) {
    // Makes the renames durable on Linux; other platforms may refuse to open a directory, which is
    // harmless.
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // best effort only
    }
  }
}
