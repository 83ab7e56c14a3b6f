package io.corral.testcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.ControlGrpc;
import io.corral.api.ListNodesRequest;
import io.corral.api.ListServicesRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.Node;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.cli.DaemonChannels;
import io.corral.testcluster.cluster.TestCluster;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 4's service scenarios on 3 managers + 2 workers in network namespaces, run once per
 * executor by the subclasses: services are created, scaled and removed with the CLI, nodes drained,
 * paused, killed and restarted, and what runs is checked through the control API (task states,
 * slots and nodes). The tests share one cluster and run in order; each leaves the services it does
 * not remove in a known state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ServiceScenarios {

  /**
   * Covers a node going down (3 missed 5 s heartbeats), a leader change, and starting many tasks.
   */
  static final Duration CONVERGE = Duration.ofSeconds(120);

  TestCluster cluster;

  /** Every node id seen, so that executor leftovers can be found after the cluster is gone. */
  final Set<String> nodeIds = ConcurrentHashMap.newKeySet();

  /** Options that select the executor, e.g. {@code --executor process}. */
  abstract List<String> executorOptions();

  /** Makes the images the tasks use available to every node. */
  abstract void prepareImages();

  /** IMAGE [COMMAND ARG…] of a task that runs until stopped, and exits 0 on SIGTERM. */
  abstract List<String> longRunning();

  /** IMAGE [COMMAND ARG…] of a task that prints a line and exits 1. */
  abstract List<String> crashing();

  /** Skips the class (with an assumption) when the executor cannot run here. */
  void assumeExecutorAvailable() {}

  @BeforeAll
  void up() {
    assumeExecutorAvailable();
    cluster =
        TestCluster.builder()
            .managers(3)
            .workers(2)
            .daemonOptions(executorOptions().toArray(String[]::new))
            .build()
            .up();
    hostnames();
    prepareImages();
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  // ---- observing the cluster through the control API ----

  private <T> T control(String node, Function<ControlGrpc.ControlBlockingStub, T> call) {
    ManagedChannel ch = DaemonChannels.open(cluster.socket(node).toString());
    try {
      return call.apply(ControlGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS));
    } finally {
      ch.shutdownNow();
    }
  }

  /** Asks a manager that is up (m1 may be the one a test killed). */
  private String anyManager() {
    return cluster.managers().stream().filter(cluster::isRunning).findFirst().orElseThrow();
  }

  List<Task> tasks(String service) {
    return control(
        anyManager(),
        c -> {
          String id =
              c.listServices(ListServicesRequest.getDefaultInstance()).getServicesList().stream()
                  .filter(s -> s.getSpec().getAnnotations().getName().equals(service))
                  .findFirst()
                  .orElseThrow()
                  .getId();
          return c.listTasks(
                  ListTasksRequest.newBuilder()
                      .setFilters(ListTasksRequest.Filters.newBuilder().addServiceIds(id))
                      .build())
              .getTasksList();
        });
  }

  Map<String, String> hostnames() {
    Map<String, String> names =
        control(
            anyManager(),
            c ->
                c.listNodes(ListNodesRequest.getDefaultInstance()).getNodesList().stream()
                    .collect(Collectors.toMap(Node::getId, n -> n.getDescription().getHostname())));
    nodeIds.addAll(names.keySet());
    return names;
  }

  static boolean runs(Task t) {
    return t.getDesiredState() == TaskState.RUNNING
        && t.getStatus().getState() == TaskState.RUNNING;
  }

  /** Running tasks that should run, counted per node hostname. */
  Map<String, Long> runningPerNode(String service) {
    Map<String, String> names = hostnames();
    return tasks(service).stream()
        .filter(ServiceScenarios::runs)
        .collect(
            Collectors.groupingBy(
                t -> names.getOrDefault(t.getNodeId(), t.getNodeId()), Collectors.counting()));
  }

  /**
   * Waits until exactly {@code total} tasks of the service run, one per slot or, for global
   * services, per node (no other task wants to run), and their spread over nodes satisfies {@code
   * spread}.
   */
  void awaitRunning(String service, int total, Predicate<Map<String, Long>> spread) {
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, Long> perNode = runningPerNode(service);
              assertThat(perNode.values().stream().mapToLong(Long::longValue).sum())
                  .as("running %s", perNode)
                  .isEqualTo(total);
              assertThat(spread.test(perNode)).as("spread %s", perNode).isTrue();
              // Replicated tasks own a slot number; global ones (slot 0) are one per node.
              List<String> slots =
                  tasks(service).stream()
                      .filter(t -> t.getDesiredState() == TaskState.RUNNING)
                      .map(t -> t.getSlot() == 0 ? "node " + t.getNodeId() : "slot " + t.getSlot())
                      .toList();
              assertThat(slots)
                  .as("slots of desired-running tasks")
                  .doesNotHaveDuplicates()
                  .hasSize(total);
            });
  }

  private void create(String... optionsThenNothing) {
    List<String> args = new ArrayList<>(List.of("service", "create", "-d"));
    args.addAll(List.of(optionsThenNothing));
    args.addAll(longRunning());
    cluster.corral("m1", args.toArray(String[]::new)).orThrow();
  }

  private String leaderHost() {
    String out = cluster.corral(anyManager(), "node", "ls", "--format", "json").orThrow().stdout();
    return NodeRow.parse(out).stream()
        .filter(n -> n.managerStatus().equals("Leader"))
        .map(NodeRow::hostname)
        .findFirst()
        .orElseThrow();
  }

  private void awaitReady(String node) {
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        NodeRow.parse(
                            cluster
                                .corral(anyManager(), "node", "ls", "--format", "json")
                                .orThrow()
                                .stdout()))
                    .filteredOn(n -> n.hostname().equals(node))
                    .extracting(NodeRow::status)
                    .containsOnly("Ready"));
  }

  // ---- the scenarios ----

  @Test
  @Order(1)
  void tenReplicasRunTwoPerNode() {
    create("--name", "web", "--replicas", "10");
    awaitRunning(
        "web",
        10,
        perNode -> perNode.size() == 5 && perNode.values().stream().allMatch(n -> n == 2));
    assertThat(cluster.corral("m2", "service", "ls").orThrow().stdout())
        .containsPattern("web\\s+replicated\\s+10/10");
  }

  @Test
  @Order(2)
  void scalingGivesExactCounts() {
    cluster.corral("m2", "service", "scale", "-d", "web=30").orThrow();
    awaitRunning(
        "web",
        30,
        perNode -> perNode.size() == 5 && perNode.values().stream().allMatch(n -> n == 6));
    cluster.corral("m3", "service", "scale", "-d", "web=5").orThrow();
    awaitRunning("web", 5, perNode -> true);
    // Scaled-away tasks really stopped.
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(tasks("web"))
                    .filteredOn(t -> t.getDesiredState() != TaskState.RUNNING)
                    .allSatisfy(
                        t ->
                            assertThat(t.getStatus().getState().getNumber())
                                .isGreaterThanOrEqualTo(TaskState.COMPLETE_VALUE)));
  }

  @Test
  @Order(3)
  void aConstraintKeepsTasksOnWorkers() {
    create("--name", "onworkers", "--replicas", "6", "--constraint", "node.role==worker");
    awaitRunning("onworkers", 6, perNode -> perNode.keySet().equals(Set.of("w1", "w2")));
    cluster.corral("m1", "service", "rm", "onworkers").orThrow();
  }

  @Test
  @Order(4)
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
    awaitRunning(
        "web", 14, perNode -> perNode.getOrDefault("w2", 0L) == onW2 && perNode.containsKey("w1"));
    cluster.corral("m1", "node", "update", "--availability", "active", "w2").orThrow();
  }

  @Test
  @Order(5)
  void aRestartedDaemonAdoptsItsRunningTasks() {
    Map<String, String> names = hostnames();
    Set<String> before =
        tasks("web").stream()
            .filter(ServiceScenarios::runs)
            .filter(t -> names.get(t.getNodeId()).equals("w1"))
            .map(Task::getId)
            .collect(Collectors.toSet());
    assertThat(before).isNotEmpty();
    cluster.restart("w1");
    awaitReady("w1");
    // The same tasks still run there: none was started again or replaced.
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Set<String> now =
                  tasks("web").stream()
                      .filter(ServiceScenarios::runs)
                      .filter(t -> names.get(t.getNodeId()).equals("w1"))
                      .map(Task::getId)
                      .collect(Collectors.toSet());
              assertThat(now).isEqualTo(before);
            });
    awaitRunning("web", 14, perNode -> true);
    assertThat(tasks("web"))
        .filteredOn(t -> before.contains(t.getId()))
        .allSatisfy(t -> assertThat(t.getStatus().getState()).isEqualTo(TaskState.RUNNING));
  }

  @Test
  @Order(6)
  void aKilledWorkersTasksAreReplacedAndNotDuplicatedWhenItReturns() {
    cluster.kill("w2");
    awaitRunning("web", 14, perNode -> !perNode.containsKey("w2"));
    cluster.restart("w2");
    awaitReady("w2");
    // Its old tasks are shut down: still exactly one running task per slot.
    awaitRunning("web", 14, perNode -> true);
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(tasks("web"))
                    .filteredOn(t -> t.getDesiredState() != TaskState.RUNNING)
                    .allSatisfy(
                        t -> assertThat(t.getStatus().getState()).isNotEqualTo(TaskState.RUNNING)));
  }

  @Test
  @Order(7)
  void aGlobalServiceRunsOnEveryNodeAndOnANodeThatJoinsLater() {
    create("--name", "everywhere", "--mode", "global");
    awaitRunning("everywhere", 5, perNode -> perNode.size() == 5);
    // w2 leaves and joins again: a new node (new id) that must get its own task.
    String token =
        cluster.corral("m1", "swarm", "join-token", "-q", "worker").orThrow().stdout().strip();
    cluster.corral("w2", "swarm", "leave").orThrow();
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(() -> cluster.corral("m1", "node", "rm", "--force", "w2").orThrow());
    awaitRunning("everywhere", 4, perNode -> !perNode.containsKey("w2"));
    cluster
        .corral("w2", "swarm", "join", "--token", token, cluster.address("m1") + ":2377")
        .orThrow();
    awaitRunning(
        "everywhere",
        5,
        perNode -> perNode.size() == 5 && perNode.values().stream().allMatch(n -> n == 1));
    cluster.corral("m1", "service", "rm", "everywhere").orThrow();
  }

  @Test
  @Order(8)
  void aCrashingTaskIsRestartedPerPolicyThenGivenUp() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "service",
                "create",
                "-d",
                "--name",
                "crash",
                "--restart-condition",
                "on-failure",
                "--restart-delay",
                "0s",
                "--restart-max-attempts",
                "2"));
    args.addAll(crashing());
    cluster.corral("m1", args.toArray(String[]::new)).orThrow();
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              List<Task> all = tasks("crash");
              assertThat(all).hasSize(3); // the first run and 2 restarts, then no more
              assertThat(all)
                  .allSatisfy(
                      t -> {
                        assertThat(t.getStatus().getState()).isEqualTo(TaskState.FAILED);
                        assertThat(t.getStatus().getErr()).contains("non-zero exit (1)");
                      });
            });
    assertThat(cluster.corral("m1", "service", "ps", "crash").orThrow().stdout())
        .contains("non-zero exit (1)");
    cluster.corral("m1", "service", "rm", "crash").orThrow();
  }

  @Test
  @Order(9)
  void killingTheLeaderDuringAScaleUpStillGivesExactlyOneTaskPerSlot() {
    String leader = leaderHost();
    String other =
        cluster.managers().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();
    cluster.corral(other, "service", "scale", "-d", "web=40").orThrow();
    cluster.kill(leader);
    awaitRunning("web", 40, perNode -> !perNode.containsKey(leader));
    cluster.restart(leader);
    awaitReady(leader);
    awaitRunning("web", 40, perNode -> true);
  }

  @Test
  @Order(10)
  void takingTheClusterDownAfterAWorkerWasKilledLeavesNoTaskOfItsNodes() {
    assertThat(runningPerNode("web")).containsKey("w1");
    hostnames();
    assertThat(cluster.nodeIds())
        .as("the harness recorded every node id (w2 has had two)")
        .containsAll(nodeIds);
    cluster.kill(
        "w1"); // its tasks outlive the daemon: containers in dockerd, processes in their own
    // sessions
    Set<Long> sessions = Leftovers.taskSessions(cluster);
    String root = cluster.root().toString();
    cluster.close();
    assertThat(Leftovers.containers(nodeIds))
        .as("containers labelled with the cluster's node ids")
        .isEmpty();
    assertThat(Leftovers.processes(sessions, root))
        .as("task processes and daemons of the cluster")
        .isEmpty();
  }
}
