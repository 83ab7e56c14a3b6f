package io.corral.testcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.ControlGrpc;
import io.corral.api.ListNodesRequest;
import io.corral.api.ListServicesRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.Node;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.cli.DaemonChannels;
import io.corral.testcluster.cluster.TestCluster;
import io.corral.testcluster.net.CommandResult;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 9's rolling-update scenarios on 3 managers + 2 workers, run once per executor by the
 * subclasses: services are updated, rolled back and promoted with the CLI, the update status is
 * read with {@code service inspect}, and the task lists are sampled through the control API while
 * an update runs, so that what must hold throughout (tasks running, one task per slot) is checked,
 * not only the end state. The tests share one cluster and run in order; each removes the services
 * it creates once it is done with them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class UpdateScenarios {

  /** Covers a leader election after a kill -9 and a rollout with its monitors and delays. */
  static final Duration CONVERGE = Duration.ofSeconds(120);

  static final int REPLICAS = 4;

  /**
   * Every service gets short monitors (docker's default is 5 s) so that the class stays fast; a
   * scenario that needs another value gives it on its update.
   */
  private static final List<String> SHORT_MONITORS =
      List.of("--update-monitor", "1s", "--rollback-monitor", "1s", "--rollback-parallelism", "2");

  /** The versions a service moves between. */
  enum Release {
    V1,
    V2,
    /** Exits with status 1 at once. */
    EXITING,
    /** Runs, but its image's health check fails. */
    UNHEALTHY
  }

  TestCluster cluster;

  /** Options that select the executor, e.g. {@code --executor process}. */
  abstract List<String> executorOptions();

  /** Makes the images of every release available to every node. */
  abstract void prepareImages();

  /** Skips the class (with an assumption) when the executor cannot run here. */
  void assumeExecutorAvailable() {}

  /**
   * The image of a release; it runs with its own command (the tests give no args), so that moving
   * between releases is {@code --image} alone.
   */
  abstract String image(Release release);

  /** IMAGE of {@code service create} for a release. */
  private List<String> createArgs(Release release) {
    return List.of(image(release));
  }

  /** The {@code service update} flags that move a service to a release. */
  private List<String> updateFlags(Release release) {
    return List.of("--image", image(release));
  }

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
    prepareImages();
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  // ---- observing the cluster ----

  private <T> T control(Function<ControlGrpc.ControlBlockingStub, T> call) {
    ManagedChannel ch = DaemonChannels.open(cluster.socket(anyManager()).toString());
    try {
      return call.apply(ControlGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS));
    } finally {
      ch.shutdownNow();
    }
  }

  /** A manager whose daemon runs (the leader may be the one a test killed). */
  private String anyManager() {
    return cluster.managers().stream().filter(cluster::isRunning).findFirst().orElseThrow();
  }

  /** {@code corral ARGS} on a manager that is up. */
  CommandResult cli(List<String> args) {
    return cluster.corral(anyManager(), args.toArray(String[]::new));
  }

  CommandResult cli(String... args) {
    return cli(List.of(args));
  }

  Optional<Service> findService(String name) {
    return control(
        c ->
            c.listServices(ListServicesRequest.getDefaultInstance()).getServicesList().stream()
                .filter(s -> s.getSpec().getAnnotations().getName().equals(name))
                .findFirst());
  }

  Service service(String name) {
    return findService(name).orElseThrow(() -> new AssertionError("no service " + name));
  }

  List<Task> tasks(String name) {
    String id = service(name).getId();
    return control(
        c ->
            c.listTasks(
                    ListTasksRequest.newBuilder()
                        .setFilters(ListTasksRequest.Filters.newBuilder().addServiceIds(id))
                        .build())
                .getTasksList());
  }

  Map<String, String> hostnames() {
    return control(
        c ->
            c.listNodes(ListNodesRequest.getDefaultInstance()).getNodesList().stream()
                .collect(Collectors.toMap(Node::getId, n -> n.getDescription().getHostname())));
  }

  /** The update status as {@code service inspect} prints it (empty fields when there is none). */
  record UpdateRow(String state, String startedAt, String message) {}

  UpdateRow updateStatus(String name) {
    CommandResult r =
        cli(
            "service",
            "inspect",
            "-f",
            "{{.UpdateStatus.State}}\t{{.UpdateStatus.StartedAt}}\t{{.UpdateStatus.Message}}",
            name);
    if (!r.ok()) {
      // A service that was never updated has no UpdateStatus: the template names a missing field.
      assertThat(r.stderr()).as("service inspect %s", name).contains("UpdateStatus");
      return new UpdateRow("", "", "");
    }
    String[] f = r.stdout().strip().split("\t", 3);
    return new UpdateRow(f[0], f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : "");
  }

  void awaitUpdateState(String name, String state, String messagePart) {
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
        .untilAsserted(
            () -> {
              UpdateRow row = updateStatus(name);
              assertThat(row.state())
                  .as("UpdateStatus of %s: %s; tasks: %s", name, row, describe(tasks(name)))
                  .isEqualTo(state);
              assertThat(row.message()).as("UpdateStatus of %s", name).contains(messagePart);
            });
  }

  static boolean runs(Task t) {
    return t.getDesiredState() == TaskState.RUNNING
        && t.getStatus().getState() == TaskState.RUNNING;
  }

  boolean on(Task t, Release release) {
    return t.getSpec().getContainer().getImage().equals(image(release));
  }

  /** A replicated task's slot, or a global task's node. */
  static String slotOf(Task t) {
    return t.getSlot() == 0 ? "node " + t.getNodeId() : "slot " + t.getSlot();
  }

  static long running(List<Task> tasks) {
    return tasks.stream().filter(UpdateScenarios::runs).count();
  }

  /** The most tasks in state RUNNING (whatever their desired state) that one slot has. */
  static long mostRunningInOneSlot(List<Task> tasks) {
    return tasks.stream()
        .filter(t -> t.getStatus().getState() == TaskState.RUNNING)
        .collect(Collectors.groupingBy(UpdateScenarios::slotOf, Collectors.counting()))
        .values()
        .stream()
        .mapToLong(Long::longValue)
        .max()
        .orElse(0);
  }

  /** Whether tasks of both releases run (and should) in this sample: the update was under way. */
  boolean mixed(List<Task> tasks, Release from, Release to) {
    return tasks.stream().anyMatch(t -> runs(t) && on(t, from))
        && tasks.stream().anyMatch(t -> runs(t) && on(t, to));
  }

  /** One line per task, for assertion messages. */
  static String describe(List<Task> tasks) {
    return tasks.stream()
        .map(
            t ->
                slotOf(t)
                    + " "
                    + t.getSpec().getContainer().getImage()
                    + " desired="
                    + t.getDesiredState()
                    + " state="
                    + t.getStatus().getState()
                    + (t.getStatus().getHealth() == TaskStatus.Health.NONE
                        ? ""
                        : " health=" + t.getStatus().getHealth())
                    + (t.getStatus().getErr().isEmpty() ? "" : " err=" + t.getStatus().getErr())
                    + " id="
                    + t.getId())
        .sorted()
        .collect(Collectors.joining("\n  ", "\n  ", ""));
  }

  /**
   * Waits until exactly {@code total} tasks of the service run, all of the release, one per slot
   * (per node for global services), no other task wants to run, and every other task has stopped
   * running.
   */
  void awaitConverged(String name, Release release, int total) {
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
        .untilAsserted(
            () -> {
              List<Task> all = tasks(name);
              String seen = describe(all);
              List<Task> wanted =
                  all.stream().filter(t -> t.getDesiredState() == TaskState.RUNNING).toList();
              assertThat(wanted).as("tasks that should run: %s", seen).hasSize(total);
              assertThat(wanted)
                  .as("tasks that should run, all running %s: %s", image(release), seen)
                  .allMatch(t -> runs(t) && on(t, release));
              assertThat(wanted.stream().map(UpdateScenarios::slotOf).toList())
                  .as("slots: %s", seen)
                  .doesNotHaveDuplicates();
              assertThat(all)
                  .as("replaced tasks stopped: %s", seen)
                  .filteredOn(t -> t.getDesiredState() != TaskState.RUNNING)
                  .noneMatch(t -> t.getStatus().getState() == TaskState.RUNNING);
            });
  }

  /** Creates a replicated service of {@link #REPLICAS} tasks and waits until they all run. */
  void createReplicated(String name, Release release, String... options) {
    List<String> all = new ArrayList<>(List.of("--replicas", String.valueOf(REPLICAS)));
    all.addAll(List.of(options));
    create(name, release, REPLICAS, all.toArray(String[]::new));
  }

  void create(String name, Release release, int total, String... options) {
    List<String> args = new ArrayList<>(List.of("service", "create", "-d", "--name", name));
    args.addAll(SHORT_MONITORS);
    args.addAll(List.of(options));
    args.addAll(createArgs(release));
    cli(args).orThrow();
    awaitConverged(name, release, total);
  }

  /** {@code service update -d OPTIONS <flags of the release> NAME}. */
  void update(String name, Release release, String... options) {
    List<String> args = new ArrayList<>(List.of("service", "update", "-d"));
    args.addAll(List.of(options));
    args.addAll(updateFlags(release));
    args.add(name);
    cli(args).orThrow();
  }

  Set<String> taskIds(Collection<Task> tasks) {
    return tasks.stream().map(Task::getId).collect(Collectors.toSet());
  }

  /** Slots that have had a task of the release. */
  Set<String> slotsThatRan(List<Task> tasks, Release release) {
    return tasks.stream()
        .filter(t -> on(t, release))
        .map(UpdateScenarios::slotOf)
        .collect(Collectors.toSet());
  }

  private String leaderHost() {
    String out = cli("node", "ls", "--format", "json").orThrow().stdout();
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
                assertThat(NodeRow.parse(cli("node", "ls", "--format", "json").orThrow().stdout()))
                    .filteredOn(n -> n.hostname().equals(node))
                    .extracting(NodeRow::status)
                    .containsOnly("Ready"));
  }

  private void assertEverySample(
      List<List<Task>> samples, String what, java.util.function.Predicate<List<Task>> holds) {
    assertThat(samples).as("samples taken").isNotEmpty();
    for (List<Task> s : samples) {
      assertThat(holds.test(s)).as("%s, in the sample: %s", what, describe(s)).isTrue();
    }
  }

  // ---- the scenarios ----

  @Test
  @Order(1)
  void aNoOpUpdateStartsNothingAndForceReplacesEveryTask() {
    createReplicated("noop", Release.V1);
    Set<String> before = taskIds(tasks("noop"));
    cli("service", "update", "-d", "noop").orThrow();
    update("noop", Release.V1); // the image it already runs
    // Nothing may start, for longer than an update with a 1 s monitor would take to begin.
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThat(taskIds(tasks("noop")))
                    .as("task ids after a no-op update")
                    .isEqualTo(before));
    assertThat(updateStatus("noop").state()).as("update state").isNotEqualTo("updating");
    // --force does replace them, so the check above could have seen a change.
    cli("service", "update", "-d", "--force", "--update-parallelism", "0", "noop").orThrow();
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
        .untilAsserted(
            () ->
                assertThat(tasks("noop"))
                    .as("tasks after --force")
                    .filteredOn(UpdateScenarios::runs)
                    .extracting(Task::getId)
                    .hasSize(REPLICAS)
                    .doesNotContainAnyElementsOf(before));
    awaitConverged("noop", Release.V1, REPLICAS);
    awaitUpdateState("noop", "completed", "update completed");
  }

  @Test
  @Order(2)
  void badFlagsAreRefusedWithNothingWritten() {
    Service before = service("noop");
    List<List<String>> bad =
        List.of(
            List.of("--update-parallelism", "-1"),
            List.of("--update-order", "sideways"),
            List.of("--update-failure-action", "explode"),
            List.of("--update-monitor", "soon"),
            List.of("--rollback-parallelism", "-2"));
    for (List<String> flag : bad) {
      List<String> args = new ArrayList<>(List.of("service", "update", "-d"));
      args.addAll(flag);
      args.addAll(updateFlags(Release.V2)); // a real change next to the bad flag
      args.add("noop");
      CommandResult r = cli(args);
      assertThat(r.exitCode()).as("exit code of %s", r.commandLine()).isNotZero();
      assertThat(r.stderr()).as("error of %s", r.commandLine()).contains(flag.get(0));
    }
    assertThat(cli("service", "update", "-d", "--update-parallelism", "-1", "noop").stderr())
        .contains("--update-parallelism")
        .contains("-1");
    Service after = service("noop");
    assertThat(after.getMeta().getVersion())
        .as("meta version")
        .isEqualTo(before.getMeta().getVersion());
    assertThat(after.getSpec()).isEqualTo(before.getSpec());
    // service create takes the same flags and refuses them the same way.
    List<String> create =
        new ArrayList<>(
            List.of("service", "create", "-d", "--name", "refused", "--update-parallelism", "-1"));
    create.addAll(createArgs(Release.V1));
    CommandResult r = cli(create);
    assertThat(r.exitCode()).as("exit code of %s", r.commandLine()).isNotZero();
    assertThat(r.stderr()).contains("--update-parallelism");
    assertThat(findService("refused")).isEmpty();
    cli("service", "rm", "noop").orThrow();
  }

  @Test
  @Order(3)
  void aRollingUpdateKeepsReplicasMinusParallelismRunningAndKeepsTheOldTasksInHistory() {
    createReplicated("roll", Release.V1);
    List<List<Task>> samples;
    try (TaskSampler sampler = TaskSampler.start(() -> tasks("roll"))) {
      update("roll", Release.V2, "--update-parallelism", "2", "--update-delay", "1s");
      awaitConverged("roll", Release.V2, REPLICAS);
      awaitUpdateState("roll", "completed", "update completed");
      samples = sampler.stop();
    }
    assertEverySample(
        samples,
        "at least replicas - parallelism = " + (REPLICAS - 2) + " running",
        s -> running(s) >= REPLICAS - 2);
    assertThat(samples)
        .as("a sample taken while v1 and v2 both ran (the update was sampled while it ran)")
        .anyMatch(s -> mixed(s, Release.V1, Release.V2));
    String ps = cli("service", "ps", "roll").orThrow().stdout();
    for (int slot = 1; slot <= REPLICAS; slot++) {
      assertThat(ps)
          .as("service ps roll")
          .containsPattern(
              "roll\\." + slot + "\\s+" + Pattern.quote(image(Release.V2)) + "\\s+\\S+\\s+Running")
          .containsPattern(
              "\\\\_ roll\\."
                  + slot
                  + "\\s+"
                  + Pattern.quote(image(Release.V1))
                  + "\\s+\\S+\\s+Shutdown");
    }
  }

  @Test
  @Order(4)
  void anUpdateToAnExitingImageRollsBackByItself() {
    update(
        "roll",
        Release.EXITING,
        "--update-failure-action",
        "rollback",
        "--update-parallelism",
        "1",
        // Longer than the exiting task takes to fail, so the failure is seen before the next slot.
        "--update-delay",
        "2s");
    awaitUpdateState("roll", "rollback_completed", "rollback completed");
    awaitConverged("roll", Release.V2, REPLICAS);
    Service s = service("roll");
    assertThat(s.getSpec().getTask().getContainer().getImage()).isEqualTo(image(Release.V2));
    assertThat(s.getPreviousSpec().getTask().getContainer().getImage())
        .isEqualTo(image(Release.EXITING));
    List<Task> all = tasks("roll");
    assertThat(all)
        .as("a task of the exiting image ran and failed: %s", describe(all))
        .anyMatch(t -> on(t, Release.EXITING) && t.getStatus().getState() == TaskState.FAILED);
    assertThat(slotsThatRan(all, Release.EXITING))
        .as(
            "slots given the exiting image (parallelism 1, rolled back at the first failure): %s",
            describe(all))
        .hasSize(1);
  }

  @Test
  @Order(5)
  void aManualRollbackAndARollbackOfTheRollback() {
    update("roll", Release.V1);
    awaitConverged("roll", Release.V1, REPLICAS);
    awaitUpdateState("roll", "completed", "update completed");

    cli("service", "rollback", "-d", "roll").orThrow();
    awaitConverged("roll", Release.V2, REPLICAS);
    awaitUpdateState("roll", "rollback_completed", "rollback completed");
    UpdateRow first = updateStatus("roll");
    Service s = service("roll");
    assertThat(s.getSpec().getTask().getContainer().getImage()).isEqualTo(image(Release.V2));
    assertThat(s.getPreviousSpec().getTask().getContainer().getImage())
        .as("the rolled-back-from spec becomes the previous one")
        .isEqualTo(image(Release.V1));

    // A second rollback goes forward again, as docker's does.
    cli("service", "rollback", "-d", "roll").orThrow();
    awaitConverged("roll", Release.V1, REPLICAS);
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
        .untilAsserted(
            () -> {
              UpdateRow row = updateStatus("roll");
              assertThat(row.state()).as("%s", row).isEqualTo("rollback_completed");
              assertThat(row.startedAt())
                  .as("a new rollback, %s", row)
                  .isNotEqualTo(first.startedAt());
            });
    assertThat(service("roll").getSpec().getTask().getContainer().getImage())
        .isEqualTo(image(Release.V1));
    cli("service", "rm", "roll").orThrow();
  }

  @Test
  @Order(6)
  void startFirstKeepsAtLeastReplicasRunningThroughout() {
    createReplicated("startfirst", Release.V1);
    List<List<Task>> samples;
    try (TaskSampler sampler = TaskSampler.start(() -> tasks("startfirst"))) {
      update(
          "startfirst", Release.V2, "--update-order", "start-first", "--update-parallelism", "2");
      awaitConverged("startfirst", Release.V2, REPLICAS);
      awaitUpdateState("startfirst", "completed", "update completed");
      samples = sampler.stop();
    }
    assertEverySample(
        samples, "at least replicas = " + REPLICAS + " running", s -> running(s) >= REPLICAS);
    assertThat(samples)
        .as("a sample taken while v1 and v2 both ran")
        .anyMatch(s -> mixed(s, Release.V1, Release.V2));
    cli("service", "rm", "startfirst").orThrow();
  }

  @Test
  @Order(7)
  void aHealthFailingImagePausesTheUpdateAfterTheFirstBatch() {
    createReplicated("sick", Release.V1);
    update(
        "sick",
        Release.UNHEALTHY,
        "--update-parallelism",
        "1",
        "--update-failure-action",
        "pause",
        "--update-monitor",
        "5s");
    awaitUpdateState("sick", "paused", "update paused due to failure or early termination of task");
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
        .untilAsserted(
            () -> {
              List<Task> all = tasks("sick");
              String seen = describe(all);
              Set<String> touched = slotsThatRan(all, Release.UNHEALTHY);
              assertThat(touched).as("slots given the unhealthy image: %s", seen).hasSize(1);
              assertThat(all)
                  .as("an unhealthy task failed: %s", seen)
                  .anyMatch(
                      t ->
                          on(t, Release.UNHEALTHY) && t.getStatus().getState() == TaskState.FAILED);
              List<Task> others = all.stream().filter(t -> !touched.contains(slotOf(t))).toList();
              assertThat(
                      others.stream().filter(UpdateScenarios::runs).filter(t -> on(t, Release.V1)))
                  .as("the other slots still run v1: %s", seen)
                  .extracting(UpdateScenarios::slotOf)
                  .doesNotHaveDuplicates()
                  .hasSize(REPLICAS - 1);
            });
    cli("service", "rm", "sick").orThrow();
  }

  @Test
  @Order(8)
  void aGlobalServiceUpdates() {
    int nodes = cluster.nodes().size();
    create("everywhere", Release.V1, nodes, "--mode", "global");
    List<List<Task>> samples;
    try (TaskSampler sampler = TaskSampler.start(() -> tasks("everywhere"))) {
      update("everywhere", Release.V2, "--update-parallelism", "2");
      awaitConverged("everywhere", Release.V2, nodes);
      awaitUpdateState("everywhere", "completed", "update completed");
      samples = sampler.stop();
    }
    assertEverySample(
        samples,
        "at least nodes - parallelism = " + (nodes - 2) + " running",
        s -> running(s) >= nodes - 2);
    assertThat(samples)
        .as("a sample taken while v1 and v2 both ran")
        .anyMatch(s -> mixed(s, Release.V1, Release.V2));
    Map<String, String> names = hostnames();
    assertThat(tasks("everywhere"))
        .filteredOn(UpdateScenarios::runs)
        .extracting(t -> names.get(t.getNodeId()))
        .containsExactlyInAnyOrderElementsOf(cluster.nodes());
    cli("service", "rm", "everywhere").orThrow();
  }

  @Test
  @Order(9)
  void aCanaryIsHeldUntilPromotedByHand() {
    createReplicated("canary", Release.V1);
    update("canary", Release.V2, "--update-canary", "1", "--update-parallelism", "2");
    awaitUpdateState(
        "canary", "canary", "canary: 1 of " + REPLICAS + " slots updated; promote or roll back");
    // Held: the other slots stay on v1 for longer than the 1 s monitor would let the update go on.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
        .untilAsserted(
            () -> {
              List<Task> all = tasks("canary");
              String seen = describe(all);
              assertThat(all.stream().filter(UpdateScenarios::runs).filter(t -> on(t, Release.V2)))
                  .as("canaries running v2: %s", seen)
                  .hasSize(1);
              assertThat(all.stream().filter(UpdateScenarios::runs).filter(t -> on(t, Release.V1)))
                  .as("slots still on v1: %s", seen)
                  .hasSize(REPLICAS - 1);
              assertThat(slotsThatRan(all, Release.V2)).as("slots given v2: %s", seen).hasSize(1);
            });
    cli("service", "promote", "-d", "canary").orThrow();
    awaitConverged("canary", Release.V2, REPLICAS);
    awaitUpdateState("canary", "completed", "update completed");
    cli("service", "rm", "canary").orThrow();
  }

  @Test
  @Order(10)
  void anAutoCanaryThatFailsIsRolledBackByItself() {
    createReplicated("autocanary", Release.V1);
    update("autocanary", Release.EXITING, "--update-canary", "1", "--update-canary-auto", "30s");
    awaitUpdateState("autocanary", "rollback_completed", "rollback completed");
    awaitConverged("autocanary", Release.V1, REPLICAS);
    assertThat(service("autocanary").getSpec().getTask().getContainer().getImage())
        .isEqualTo(image(Release.V1));
    List<Task> all = tasks("autocanary");
    assertThat(slotsThatRan(all, Release.EXITING))
        .as("slots given the exiting image (only the canary): %s", describe(all))
        .hasSize(1);
    assertThat(all)
        .as("the canary failed: %s", describe(all))
        .anyMatch(t -> on(t, Release.EXITING) && t.getStatus().getState() == TaskState.FAILED);
    cli("service", "rm", "autocanary").orThrow();
  }

  @Test
  @Order(11)
  void killingTheLeaderMidUpdateStillCompletesItWithOneTaskPerSlot() {
    // On the workers only, so that killing a manager's daemon touches the update, not the tasks.
    createReplicated("failover", Release.V1, "--constraint", "node.role==worker");
    String leader = leaderHost();
    List<List<Task>> samples;
    try (TaskSampler sampler = TaskSampler.start(() -> tasks("failover"))) {
      update("failover", Release.V2, "--update-parallelism", "1", "--update-delay", "2s");
      await()
          .atMost(CONVERGE)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
          .until(() -> tasks("failover").stream().anyMatch(t -> runs(t) && on(t, Release.V2)));
      List<Task> atKill = tasks("failover");
      assertThat(atKill)
          .as("the update is still under way when the leader is killed: %s", describe(atKill))
          .anyMatch(t -> runs(t) && on(t, Release.V1));
      cluster.kill(leader);
      awaitConverged("failover", Release.V2, REPLICAS);
      awaitUpdateState("failover", "completed", "update completed");
      samples = sampler.stop();
    }
    assertEverySample(samples, "no slot with two running tasks", s -> mostRunningInOneSlot(s) <= 1);
    assertEverySample(
        samples,
        "at least replicas - parallelism = " + (REPLICAS - 1) + " running",
        s -> running(s) >= REPLICAS - 1);
    cluster.restart(leader);
    awaitReady(leader);
    awaitConverged("failover", Release.V2, REPLICAS);
    cli("service", "rm", "failover").orThrow();
  }
}
