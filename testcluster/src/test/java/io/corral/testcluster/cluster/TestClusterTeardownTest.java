package io.corral.testcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.corral.testcluster.NeedsRoot;
import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What down removes besides daemons and namespaces, with a fake daemon ({@link FakeCorral})
 * standing in for a node that joined a swarm (a node id in its data dir) and ran tasks:
 * process-executor task processes (their launch records under DATA/tasks) and Docker containers
 * labelled with its node id, but nothing of other clusters.
 */
@NeedsRoot
class TestClusterTeardownTest {

  private static final String IMAGE = "corral-test/busybox:1";
  private static final Duration DOCKER = Duration.ofSeconds(60);

  private final String name =
      "td" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private final String nodeId =
      "tdnode" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  private final List<String> containers = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private Path root;
  private TestCluster cluster;

  @BeforeEach
  void up(@TempDir Path dir) throws Exception {
    root = dir.resolve("cluster");
    cluster =
        TestCluster.builder()
            .name(name)
            .managers(1)
            .workers(1)
            .rootDir(root)
            .corralCommand(FakeCorral.install(dir.resolve("fake")))
            .readyTimeout(Duration.ofSeconds(20))
            .up();
  }

  @AfterEach
  void cleanUp() {
    try {
      TestCluster.down(name, root, false);
    } finally {
      processes.forEach(Process::destroyForcibly);
      if (!containers.isEmpty()) {
        List<String> rm = new ArrayList<>(List.of("docker", "rm", "-f"));
        rm.addAll(containers);
        Shell.run(rm, DOCKER);
      }
    }
  }

  /** What a daemon writes when it joins: its node id in DATA/node.properties. */
  private void joined(String node, String id) throws IOException {
    Files.writeString(
        cluster.dataDir(node).resolve("node.properties"),
        "cluster.id=tdcluster\nnode.id=" + id + "\n");
  }

  /**
   * A task process as the process executor leaves it: in its own session, with a launch record
   * under DATA/tasks.
   */
  private ProcessHandle taskProcess(String node, String taskId) throws IOException {
    Process p = new ProcessBuilder("setsid", "sleep", "600").start();
    processes.add(p);
    String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
    String startTime = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    Path dir = cluster.files(node).taskStateDir().resolve(taskId);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("launch.properties"),
        String.join(
            "\n",
            "boot.id=" + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip(),
            "pid=" + p.pid(),
            "pid.start=" + startTime,
            "child.pid=" + p.pid(),
            "started.at=" + Instant.now(),
            "stop.signal=TERM",
            ""));
    return p.toHandle();
  }

  @Test
  void downKillsTheTaskProcessesOfItsNodesAndRecordsNodeIdsAsTheyJoin() throws Exception {
    joined("w1", nodeId);
    cluster.exec("w1", "true");
    assertThat(TestCluster.attach(root).nodeIds())
        .as("recorded in the state file")
        .containsExactly(nodeId);
    Files.delete(cluster.dataDir("w1").resolve("node.properties")); // as after `swarm leave`
    joined("w1", nodeId + "b"); // and joining again
    cluster.recordNodeIds();
    assertThat(TestCluster.attach(root).nodeIds()).containsExactly(nodeId, nodeId + "b");

    ProcessHandle task = taskProcess("w1", "task1");
    cluster.kill("w1"); // its task processes outlive the daemon, by design
    assertThat(task.isAlive()).isTrue();

    Teardown t = cluster.down();
    assertThat(t.daemons()).containsExactly("m1");
    assertThat(t.taskProcesses()).containsEntry("w1", 1);
    assertThat(t.describe())
        .contains("killed the daemons of m1")
        .contains("killed 1 task process group(s) (w1: 1)");
    processes.get(0).waitFor();
    assertThat(task.isAlive()).isFalse();
    assertThat(root).doesNotExist();
  }

  @Test
  void downRemovesTheContainersLabelledWithItsNodeIdsAndNoOthers() throws Exception {
    CommandResult image = Shell.run(List.of("docker", "image", "inspect", IMAGE), DOCKER);
    assumeThat(image.ok()).as("a Docker engine with %s (bin/ci-docker-setup)", IMAGE).isTrue();
    joined("w1", nodeId);
    cluster.recordNodeIds();
    String ours = run("--label", EngineLeftovers.NODE_LABEL + "=" + nodeId);
    String otherCluster = run("--label", EngineLeftovers.NODE_LABEL + "=" + nodeId + "other");
    String users = run();
    // Gone from the data dir (the node left), yet down still knows the id from the state file.
    Files.delete(cluster.dataDir("w1").resolve("node.properties"));
    cluster.kill("w1");

    Teardown t = TestCluster.down(name, root, TestCluster.Keep.LOGS);
    assertThat(t.containers()).containsExactly(ours);
    assertThat(t.describe()).contains("removed 1 container of the engine (" + ours + ")");
    assertThat(existing()).doesNotContain(ours).contains(otherCluster, users);
    assertThat(DaemonLogs.kept(root, "w1")).exists();
    assertThat(EngineLeftovers.containers(Set.of(nodeId))).isEmpty();
  }

  @Test
  void upRemovesWhatAnEarlierClusterOfTheSameNameLeftAndSaysSo() throws Exception {
    joined("w1", nodeId);
    cluster.recordNodeIds();
    ProcessHandle task = taskProcess("w1", "task1");
    cluster.kill("m1");
    cluster.kill("w1"); // a crashed run: no down
    TestCluster again =
        TestCluster.builder()
            .name(name)
            .managers(1)
            .workers(1)
            .rootDir(root)
            .corralCommand(cluster.corralCommand())
            .readyTimeout(Duration.ofSeconds(20))
            .up();
    cluster = again;
    assertThat(again.leftovers().taskProcesses()).containsEntry("w1", 1);
    assertThat(again.leftovers().namespaces()).isNotEmpty();
    processes.get(0).waitFor();
    assertThat(task.isAlive()).isFalse();
    assertThat(again.nodeIds()).as("a new cluster starts afresh").isEmpty();
    again.down();
  }

  /** Starts a container of the test image with the given options; returns its name. */
  private String run(String... options) {
    String container = name + "-" + containers.size();
    List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--name", container));
    cmd.addAll(List.of(options));
    cmd.addAll(List.of(IMAGE, "sleep", "600"));
    containers.add(container);
    Shell.check(cmd, DOCKER);
    return container;
  }

  private List<String> existing() {
    return Shell.check(List.of("docker", "ps", "-a", "--format", "{{.Names}}"), DOCKER)
        .stdout()
        .lines()
        .toList();
  }
}
