package io.corral.testcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testcluster.NeedsRoot;
import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Namespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's bookkeeping with a fake daemon (see {@link FakeCorral}): start, exec, kill,
 * restart, partition, attach from another invocation, down. The tests share one cluster and run in
 * order; the last takes it down.
 */
@NeedsRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestClusterTest {

  @RegisterExtension static final FailureWatch FAILURES = new FailureWatch();

  private final String name =
      "tc" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  // Not in the temp dir: when a test fails the daemons' logs stay there for a look.
  private final Path root = TestCluster.defaultRoot(name);
  private TestCluster cluster;

  @BeforeAll
  void up(@TempDir Path dir) throws Exception {
    cluster =
        TestCluster.builder()
            .name(name)
            .managers(2)
            .workers(2)
            .rootDir(root)
            .corralCommand(FakeCorral.install(dir.resolve("fake")))
            .readyTimeout(Duration.ofSeconds(20))
            .up();
  }

  @AfterAll
  void down() {
    if (FAILURES.any()) {
      System.err.println("TestClusterTest failed; the daemons' logs are kept in " + root);
    }
    try {
      if (cluster != null) {
        cluster.down(FAILURES.any());
      }
    } finally {
      TestCluster.down(name, root, FAILURES.any());
    }
  }

  @Test
  @Order(1)
  void upStartsEachDaemonInItsNamespaceAndFormsTheSwarm() throws Exception {
    assertThat(cluster.nodes()).containsExactly("m1", "m2", "w1", "w2");
    assertThat(cluster.managers()).containsExactly("m1", "m2");
    assertThat(cluster.workers()).containsExactly("w1", "w2");
    Map<String, String> addresses =
        cluster.nodes().stream().collect(Collectors.toMap(Function.identity(), cluster::address));
    assertThat(addresses)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("m1", "10.77.0.11", "m2", "10.77.0.12", "w1", "10.77.0.13", "w2", "10.77.0.14"));
    for (String n : cluster.nodes()) {
      assertThat(cluster.isRunning(n)).as(n).isTrue();
      assertThat(cluster.socket(n)).isEqualTo(root.resolve(n).resolve("corral.sock")).exists();
      assertThat(cluster.logOf(n)).isEqualTo(root.resolve(n).resolve("daemon.log")).exists();
      assertThat(cluster.dataDir(n)).isDirectory();
      // The daemon saw its own address on eth0: it runs inside the node's namespace.
      assertThat(Files.readString(cluster.files(n).dir().resolve("seen-address")))
          .contains(cluster.address(n) + "/24");
      assertThat(FakeCorral.calls(cluster, n).get(0))
          .isEqualTo(
              "daemon --data-dir "
                  + cluster.dataDir(n)
                  + " --listen-addr "
                  + cluster.address(n)
                  + ":2377 --advertise-addr "
                  + cluster.address(n)
                  + " --hostname "
                  + n);
    }
    assertThat(FakeCorral.calls(cluster, "m1"))
        .contains(
            "swarm init --advertise-addr 10.77.0.11",
            "swarm join-token -q manager",
            "swarm join-token -q worker");
    assertThat(FakeCorral.calls(cluster, "m2"))
        .contains("swarm join --token TOKEN-manager 10.77.0.11:2377");
    assertThat(FakeCorral.calls(cluster, "w1"))
        .contains("swarm join --token TOKEN-worker 10.77.0.11:2377");
    assertThat(FakeCorral.calls(cluster, "w2"))
        .contains("swarm join --token TOKEN-worker 10.77.0.11:2377");
    assertThat(root.resolve("state.properties")).exists();
  }

  @Test
  @Order(2)
  void execRunsInsideTheNodeAndReturnsOutputAndExitCode() {
    CommandResult r =
        cluster.exec("w1", "bash", "-c", "ip -o -4 addr show dev eth0; echo oops >&2; exit 7");
    assertThat(r.exitCode()).isEqualTo(7);
    assertThat(r.stdout()).contains("10.77.0.13/24");
    assertThat(r.stderr()).contains("oops");

    assertThat(cluster.corral("m2", "info").stdout()).contains("fake daemon ok");
    assertThat(cluster.commandLine("m1", List.of("corral", "node", "ls")))
        .startsWith("ip", "netns", "exec", cluster.namespace("m1"))
        .endsWith("--socket", cluster.socket("m1").toString(), "node", "ls");
    assertThat(cluster.commandLine("m1", List.of("hostname")))
        .endsWith(cluster.namespace("m1"), "hostname");
  }

  @Test
  @Order(3)
  void killStopsOnlyThatDaemonAndRestartBringsItBackOnTheSameDataDir() throws Exception {
    long before = cluster.pid("m2").orElseThrow();
    cluster.kill("m2");
    assertThat(cluster.isRunning("m2")).isFalse();
    assertThat(cluster.pid("m2")).isEmpty();
    assertThat(ProcessHandle.of(before).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(cluster.corral("m2", "info").ok()).isFalse();
    assertThat(cluster.nodes().stream().filter(n -> !n.equals("m2"))).allMatch(cluster::isRunning);
    cluster.kill("m2"); // idempotent

    cluster.restart("m2");
    assertThat(cluster.isRunning("m2")).isTrue();
    assertThat(cluster.pid("m2").orElseThrow()).isNotEqualTo(before);
    assertThat(cluster.corral("m2", "info").ok()).isTrue();
    assertThat(Files.readAllLines(cluster.logOf("m2")))
        .filteredOn(l -> l.contains("starting m2"))
        .hasSize(2);
    assertThat(FakeCorral.calls(cluster, "m2"))
        .filteredOn(l -> l.startsWith("daemon --data-dir " + cluster.dataDir("m2") + " "))
        .hasSize(2);
  }

  @Test
  @Order(4)
  void anotherInvocationFindsTheClusterThroughTheStateFile() {
    TestCluster other = TestCluster.attach(root);
    assertThat(other.name()).isEqualTo(name);
    assertThat(other.nodes()).isEqualTo(cluster.nodes());
    assertThat(other.address("w2")).isEqualTo("10.77.0.14");
    assertThat(other.pid("w2")).isEqualTo(cluster.pid("w2"));
    assertThat(other.corral("w2", "info").ok()).isTrue();

    other.kill("w2");
    assertThat(cluster.isRunning("w2")).as("the pid it knew is gone").isFalse();
    assertThat(TestCluster.attach(root).pid("w2")).as("the state file says so").isEmpty();

    other.restart("w2");
    assertThat(TestCluster.attach(root).isRunning("w2")).isTrue();
  }

  @Test
  @Order(5)
  void partitionCutsANodeOffAndHealReconnectsIt() {
    Function<String, Function<List<String>, List<String>>> in =
        n -> cmd -> cluster.commandLine(n, cmd);
    try {
      cluster.partition("w1");
      assertThat(cluster.isPartitioned("w1")).isTrue();
      assertThat(Probe.reachable(in.apply("m1"), cluster.address("w1"))).isFalse();
      assertThat(Probe.reachable(in.apply("w1"), cluster.address("m1"))).isFalse();
      assertThat(cluster.isRunning("w1")).as("a partition does not stop the daemon").isTrue();

      cluster.heal("w1");
      assertThat(cluster.isPartitioned("w1")).isFalse();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Probe.reachable(in.apply("m1"), cluster.address("w1"))
                      && Probe.reachable(in.apply("w1"), cluster.address("m1")));
    } finally {
      cluster.heal("w1");
    }
  }

  @Test
  @Order(6)
  void downKillsEveryDaemonAndRemovesNamespacesAndFiles() {
    // w2 was restarted through another instance: down() must find that daemon too (it is in w2's
    // namespace).
    List<Long> pids =
        cluster.nodes().stream().map(n -> TestCluster.attach(root).pid(n).orElseThrow()).toList();
    cluster.down();
    assertThat(pids).noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
    assertThat(Namespaces.list()).noneMatch(ns -> ns.startsWith("crl-" + name + "-"));
    assertThat(root).doesNotExist();
    cluster.down(); // idempotent
    TestCluster.down(name, root, false);
  }
}
