package io.corral.manager.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.manager.ca.RootCA;
import io.corral.manager.ca.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {

  private final RootCA ca = RootCA.create("cluster-a");

  @Test
  void exposesSubjectFields() {
    NodeIdentity node = TestPki.node(ca, "m1", NodeRole.MANAGER);

    assertThat(node.nodeId()).isEqualTo("m1");
    assertThat(node.role()).isEqualTo(NodeRole.MANAGER);
    assertThat(node.clusterId()).isEqualTo("cluster-a");
    assertThat(node.notAfter()).isEqualTo(node.certificate().getNotAfter().toInstant());
    assertThat(node.chain()).containsExactly(node.certificate(), ca.certificate());
    assertThat(node.toString()).contains("m1").doesNotContainIgnoringCase("private");
  }

  @Test
  void saveThenLoadGivesTheSameIdentity(@TempDir Path tmp) throws IOException {
    NodeIdentity node = TestPki.node(ca, "w1", NodeRole.WORKER);
    Path dir = tmp.resolve("certificates");

    node.save(dir);
    NodeIdentity loaded = NodeIdentity.load(dir);

    assertThat(loaded.certificate()).isEqualTo(node.certificate());
    assertThat(loaded.rootCertificate()).isEqualTo(ca.certificate());
    assertThat(loaded.privateKey().getEncoded()).isEqualTo(node.privateKey().getEncoded());
    assertThat(loaded.nodeId()).isEqualTo("w1");
    assertThat(Files.readString(dir.resolve("node.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(dir.resolve("node.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo(ca.certPem());
    // no temp files left behind
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("node.key", "node.crt", "ca.crt");
    }
  }

  @Test
  void keyFileIsOwnerReadWriteOnly(@TempDir Path dir) throws IOException {
    NodeIdentity node = TestPki.node(ca, "w1", NodeRole.WORKER);
    node.save(dir);

    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node.key"))))
        .isEqualTo("rw-------");
    // certificates are public, but nobody else may replace them
    String certMode =
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node.crt")));
    assertThat(certMode).startsWith("rw-");
    assertThat(certMode.charAt(4)).isEqualTo('-');
    assertThat(certMode.charAt(7)).isEqualTo('-');
  }

  @Test
  void saveReplacesAnEarlierIdentity(@TempDir Path dir) throws IOException {
    TestPki.node(ca, "w1", NodeRole.WORKER).save(dir);
    NodeIdentity renewed = TestPki.node(ca, "w1", NodeRole.MANAGER);

    renewed.save(dir);

    NodeIdentity loaded = NodeIdentity.load(dir);
    assertThat(loaded.certificate()).isEqualTo(renewed.certificate());
    assertThat(loaded.role()).isEqualTo(NodeRole.MANAGER);
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void loadIfPresentDistinguishesNoneSomeAndAll(@TempDir Path dir) throws IOException {
    assertThat(NodeIdentity.loadIfPresent(dir)).isEmpty();
    assertThat(NodeIdentity.loadIfPresent(dir.resolve("missing"))).isEmpty();

    NodeIdentity node = TestPki.node(ca, "w1", NodeRole.WORKER);
    node.save(dir);
    assertThat(NodeIdentity.loadIfPresent(dir))
        .hasValueSatisfying(
            loaded -> assertThat(loaded.certificate()).isEqualTo(node.certificate()));

    Files.delete(dir.resolve("node.crt"));
    assertThatThrownBy(() -> NodeIdentity.loadIfPresent(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("incomplete")
        .hasMessageContaining("node.crt");
  }

  @Test
  void loadRefusesAKeyThatDoesNotMatchTheCertificate(@TempDir Path dir) throws IOException {
    TestPki.node(ca, "w1", NodeRole.WORKER).save(dir);
    Path other = dir.resolve("other");
    TestPki.node(ca, "w1", NodeRole.WORKER).save(other);
    Files.copy(
        other.resolve("node.key"), dir.resolve("node.key"), StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> NodeIdentity.load(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void refusesCertificateFromAnotherRoot() {
    NodeIdentity node = TestPki.node(ca, "w1", NodeRole.WORKER);
    RootCA other = RootCA.create("cluster-a");

    assertThatThrownBy(
            () -> new NodeIdentity(node.privateKey(), node.certificate(), other.certificate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not issued by root");
  }

  @Test
  void renewalDelayFallsBetweenHalfAndFourFifthsOfLifetime() {
    NodeIdentity node = TestPki.node(ca, "w1", NodeRole.WORKER, Duration.ofDays(90));
    Instant notBefore = node.certificate().getNotBefore().toInstant();
    Duration lifetime = Duration.between(notBefore, node.notAfter());
    Instant now = notBefore.plus(Duration.ofDays(3));
    Duration elapsed = Duration.between(notBefore, now);
    Random random = new Random(42);

    Duration min = null;
    Duration max = null;
    for (int i = 0; i < 10_000; i++) {
      Duration sinceStart = node.renewalDelay(random, now).plus(elapsed);
      assertThat(sinceStart)
          .isBetween(
              lifetime.multipliedBy(5).dividedBy(10), lifetime.multipliedBy(8).dividedBy(10));
      min = min == null || sinceStart.compareTo(min) < 0 ? sinceStart : min;
      max = max == null || sinceStart.compareTo(max) > 0 ? sinceStart : max;
    }
    // actually spread over the window, not stuck at one point
    assertThat(min).isLessThan(lifetime.multipliedBy(52).dividedBy(100));
    assertThat(max).isGreaterThan(lifetime.multipliedBy(78).dividedBy(100));
  }

  @Test
  void renewalDelayIsZeroOncePastTheWindowAndPositiveForAFreshCertificate() {
    NodeIdentity node = TestPki.node(ca, "w1", NodeRole.WORKER, Duration.ofDays(10));
    Random random = new Random(7);

    assertThat(node.renewalDelay(random, node.notAfter().minusSeconds(1))).isEqualTo(Duration.ZERO);
    assertThat(node.renewalDelay(random, node.notAfter().plus(Duration.ofDays(5))))
        .isEqualTo(Duration.ZERO);
    assertThat(node.renewalDelay(random))
        .isBetween(Duration.ofDays(5).minusMinutes(2), Duration.ofDays(8));
  }
}
