package io.corral.testcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.ControlGrpc;
import io.corral.api.ListNodesRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.Node;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.cli.DaemonChannels;
import io.corral.testcluster.NeedsRoot;
import io.corral.testcluster.cluster.TestCluster;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 4's scenarios with the process executor on 3 managers + 2 workers in network namespaces: services are
 * created and scaled with the CLI, and what runs is checked through the control API (task states and nodes).
 */
@NeedsRoot
@org.junit.jupiter.api.Disabled("issue 4 in progress: enabled once the controllers and executors are wired")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceScenarioTest {

  private static final Duration CONVERGE = Duration.ofSeconds(90);

  private TestCluster cluster;

  @BeforeAll
  void up() throws IOException {
    cluster = TestCluster.builder().managers(3).workers(2).daemonOptions("--executor", "process").build().up();
    for (String node : cluster.nodes()) {
      writeImage(node, "app", "1", "/bin/sh -c \"trap 'exit 0' TERM; while true; do sleep 1; done\"");
      writeImage(node, "crash", "1", "/bin/sh -c \"echo crashing; exit 1\"");
    }
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A process-executor image (docs/process-images.md) in the node's default image root. */
  private void writeImage(String node, String name, String tag, String entrypoint) throws IOException {
    Path dir = cluster.dataDir(node).resolve("images").resolve(name).resolve(tag);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("image.properties"), "entrypoint=" + entrypoint.replace("\\", "\\\\") + "\n");
  }

  private List<Task> tasks(String service) {
    ManagedChannel ch = DaemonChannels.open(cluster.socket("m1").toString());
    try {
      var control = ControlGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
      String id = control.listServices(io.corral.api.ListServicesRequest.getDefaultInstance()).getServicesList()
          .stream().filter(s -> s.getSpec().getAnnotations().getName().equals(service)).findFirst()
          .orElseThrow().getId();
      return control.listTasks(ListTasksRequest.newBuilder().setFilters(ListTasksRequest.Filters.newBuilder()
          .addServiceIds(id)).build()).getTasksList();
    } finally {
      ch.shutdownNow();
    }
  }

  private Map<String, String> hostnames() {
    ManagedChannel ch = DaemonChannels.open(cluster.socket("m1").toString());
    try {
      return ControlGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
          .listNodes(ListNodesRequest.getDefaultInstance()).getNodesList().stream()
          .collect(Collectors.toMap(Node::getId, n -> n.getDescription().getHostname()));
    } finally {
      ch.shutdownNow();
    }
  }

  /** Running tasks that should run, counted per node hostname. */
  private Map<String, Long> runningPerNode(String service) {
    Map<String, String> names = hostnames();
    return tasks(service).stream()
        .filter(t -> t.getDesiredState() == TaskState.RUNNING && t.getStatus().getState() == TaskState.RUNNING)
        .collect(Collectors.groupingBy(t -> names.getOrDefault(t.getNodeId(), t.getNodeId()),
            Collectors.counting()));
  }

  private void awaitRunning(String service, int total, Function<Map<String, Long>, Boolean> spread) {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
      Map<String, Long> perNode = runningPerNode(service);
      assertThat(perNode.values().stream().mapToLong(Long::longValue).sum()).as("running %s", perNode)
          .isEqualTo(total);
      assertThat(spread.apply(perNode)).as("spread %s", perNode).isTrue();
      // One desired-running task per slot.
      List<Long> slots = tasks(service).stream().filter(t -> t.getDesiredState() == TaskState.RUNNING)
          .map(Task::getSlot).toList();
      assertThat(slots).doesNotHaveDuplicates().hasSize(total);
    });
  }

  @Test
  @Order(1)
  void tenReplicasRunTwoPerNode() {
    cluster.corral("m1", "service", "create", "-d", "--name", "web", "--replicas", "10", "app:1").orThrow();
    awaitRunning("web", 10, perNode -> perNode.size() == 5 && perNode.values().stream().allMatch(n -> n == 2));
  }

  @Test
  @Order(2)
  void scalingGivesExactCounts() {
    cluster.corral("m2", "service", "scale", "-d", "web=30").orThrow();
    awaitRunning("web", 30, perNode -> perNode.values().stream().allMatch(n -> n == 6));
    cluster.corral("m3", "service", "scale", "-d", "web=5").orThrow();
    awaitRunning("web", 5, perNode -> true);
  }

  @Test
  @Order(3)
  void aDrainedNodesTasksMoveAndAPausedNodeKeepsItsTasks() {
    cluster.corral("m1", "service", "scale", "-d", "web=10").orThrow();
    awaitRunning("web", 10, perNode -> perNode.size() == 5);
    cluster.corral("m1", "node", "update", "--availability", "drain", "w1").orThrow();
    awaitRunning("web", 10, perNode -> !perNode.containsKey("w1"));
    cluster.corral("m1", "node", "update", "--availability", "active", "w1").orThrow();
    cluster.corral("m1", "node", "update", "--availability", "pause", "w2").orThrow();
    long onW2 = runningPerNode("web").getOrDefault("w2", 0L);
    assertThat(onW2).isPositive();
    cluster.corral("m1", "service", "scale", "-d", "web=14").orThrow();
    awaitRunning("web", 14, perNode -> perNode.getOrDefault("w2", 0L) == onW2);
    cluster.corral("m1", "node", "update", "--availability", "active", "w2").orThrow();
  }

  @Test
  @Order(4)
  void aKilledWorkersTasksAreReplacedAndNotDuplicatedWhenItReturns() {
    cluster.kill("w2");
    awaitRunning("web", 14, perNode -> !perNode.containsKey("w2"));
    cluster.restart("w2");
    // Its old tasks are shut down: still exactly one running task per slot, none on w2 until it gets new ones.
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
        assertThat(cluster.corral("m1", "node", "ls").orThrow().stdout()).containsPattern("w2\\s+Ready"));
    awaitRunning("web", 14, perNode -> true);
  }

  @Test
  @Order(5)
  void aCrashingTaskIsRestartedPerPolicyThenGivenUp() {
    cluster.corral("m1", "service", "create", "-d", "--name", "crash", "--restart-condition", "on-failure",
        "--restart-delay", "0s", "--restart-max-attempts", "2", "crash:1").orThrow();
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
      List<Task> all = tasks("crash");
      assertThat(all).hasSize(3); // the first run and 2 restarts
      assertThat(all).allMatch(t -> t.getStatus().getState() == TaskState.FAILED);
    });
  }
}
