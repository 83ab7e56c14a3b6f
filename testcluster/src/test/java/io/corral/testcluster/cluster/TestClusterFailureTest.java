package io.corral.testcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.testcluster.NeedsRoot;
import io.corral.testcluster.net.Namespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the harness does when daemons fail, when a cluster is up already, and after a crashed run.
 */
@NeedsRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestClusterFailureTest {

  @TempDir Path dir;

  private final List<String> names = new ArrayList<>();

  private String newName() {
    String n = "tf" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    names.add(n);
    return n;
  }

  @AfterAll
  void cleanUp() {
    for (String n : names) {
      TestCluster.down(n, dir.resolve(n), false);
    }
  }

  private TestCluster.Builder builder(String name, Path fake) throws Exception {
    return TestCluster.builder()
        .name(name)
        .rootDir(dir.resolve(name))
        .corralCommand(FakeCorral.install(fake))
        .readyTimeout(Duration.ofSeconds(20));
  }

  private static List<String> namespacesOf(String name) {
    return Namespaces.list().stream().filter(ns -> ns.startsWith("crl-" + name + "-")).toList();
  }

  @Test
  void aDaemonThatExitsIsReportedWithItsLogAndTheClusterIsRemoved() throws Exception {
    String name = newName();
    Path fake = dir.resolve("fake-crash");
    TestCluster.Builder b = builder(name, fake);
    FakeCorral.crashOnStart(fake);
    assertThatThrownBy(b::up)
        .hasMessageContaining("exited before it was ready")
        .hasMessageContaining("fake daemon: boom")
        .hasMessageContaining("daemon.log");
    assertThat(namespacesOf(name)).isEmpty();
    assertThat(dir.resolve(name).resolve("m1").resolve("daemon.log")).as("logs are kept").exists();
  }

  @Test
  void aDaemonThatNeverAnswersTimesOut() throws Exception {
    String name = newName();
    Path fake = dir.resolve("fake-hang");
    TestCluster.Builder b = builder(name, fake).readyTimeout(Duration.ofSeconds(1));
    FakeCorral.neverReady(fake);
    assertThatThrownBy(b::startWithoutForming)
        .hasMessageContaining("not ready after 1 s")
        .hasMessageContaining("never appeared");
    assertThat(namespacesOf(name)).isEmpty();
  }

  @Test
  void aRunningClusterIsNotReplacedButADeadOneIs() throws Exception {
    String name = newName();
    Path fake = dir.resolve("fake-ok");
    TestCluster first = builder(name, fake).workers(1).startWithoutForming();
    assertThatThrownBy(() -> builder(name, fake).startWithoutForming())
        .hasMessageContaining("already up");
    assertThat(first.isRunning("m1")).isTrue();

    // A crashed run: daemons gone, namespaces and state file left behind.
    first.kill("m1");
    first.kill("w1");
    assertThat(namespacesOf(name)).hasSize(3);
    TestCluster second = builder(name, fake).startWithoutForming();
    assertThat(second.isRunning("m1")).isTrue();
    assertThat(namespacesOf(name)).hasSize(2);
    second.close();
    assertThat(namespacesOf(name)).isEmpty();
  }

  @Test
  void aRootDirThatIsNotAClustersIsLeftAlone() throws Exception {
    String name = newName();
    Files.createDirectories(dir.resolve(name));
    Files.writeString(dir.resolve(name).resolve("precious.txt"), "x");
    assertThatThrownBy(() -> builder(name, dir.resolve("fake-x")).startWithoutForming())
        .hasMessageContaining("holds no test cluster");
    assertThat(dir.resolve(name).resolve("precious.txt")).exists();
  }

  @Test
  void badOptionsAreRefusedBeforeAnythingIsCreated() {
    assertThatThrownBy(() -> TestCluster.builder().name("Bad_Name").build())
        .hasMessageContaining("invalid cluster name");
    assertThatThrownBy(() -> TestCluster.builder().managers(0).build())
        .hasMessageContaining("at least one manager");
    assertThatThrownBy(() -> TestCluster.builder().subnet("10.77.0.0").build())
        .hasMessageContaining("not an IPv4");
  }
}
