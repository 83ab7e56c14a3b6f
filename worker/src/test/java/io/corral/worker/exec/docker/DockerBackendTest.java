package io.corral.worker.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.corral.api.Annotations;
import io.corral.api.ContainerSpec;
import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.ResourceRequirements;
import io.corral.api.Resources;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.worker.agent.LogLines;
import io.corral.worker.agent.TaskEvents;
import io.corral.worker.agent.TaskLifecycle;
import io.corral.worker.agent.TaskRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The docker backend (under the task lifecycle) against the real engine: what only it does (skipped
 * without one; bin/ci-docker-setup provides it).
 */
class DockerBackendTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * Runs until stopped and exits 0 on SIGTERM (busybox sh runs the trap once the current sleep
   * returns).
   */
  private static final String GRACEFUL =
      "trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done";

  /** Ignores SIGTERM: only the SIGKILL after the grace period ends it. */
  private static final String STUBBORN = "trap '' TERM; while true; do sleep 0.1; done";

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String nodeA = "test-node-a-" + run;
  private final String nodeB = "test-node-b-" + run;
  private final AtomicInteger slots = new AtomicInteger();
  private final List<TaskLifecycle<DockerTask>> runtimes = new ArrayList<>();
  private DockerClient docker;

  @BeforeEach
  void connect() {
    docker = DockerAvailable.clientOrSkip();
  }

  @AfterEach
  void cleanUp() {
    try {
      runtimes.forEach(TaskLifecycle::close);
    } finally {
      DockerAvailable.removeNodesContainers(docker, nodeA, nodeB);
    }
  }

  /**
   * A lifecycle over a new docker backend of {@code node} (a second one is the node after a
   * restart).
   */
  private TaskLifecycle<DockerTask> runtime(String node) {
    TaskLifecycle<DockerTask> r = new TaskLifecycle<>(new DockerBackend(docker, node, "none"));
    runtimes.add(r);
    return r;
  }

  /** Starts the task and waits until it runs; its container's id. */
  private static String started(TaskRuntime runtime, Task t, TaskEvents events) {
    runtime.start(t, events);
    return events.awaitState(t.getId(), TaskState.RUNNING).getContainer().getContainerId();
  }

  private Task task(String script) {
    return task(
        ContainerSpec.newBuilder()
            .setImage(DockerAvailable.IMAGE)
            .addCommand("sh")
            .addArgs("-c")
            .addArgs(script),
        ResourceRequirements.getDefaultInstance());
  }

  private Task task(ContainerSpec.Builder container, ResourceRequirements resources) {
    return Task.newBuilder()
        .setId("task" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
        .setServiceId("svc-" + run)
        .setSlot(slots.incrementAndGet())
        .setServiceAnnotations(Annotations.newBuilder().setName("rt-" + run))
        .setDesiredState(TaskState.RUNNING)
        .setSpec(TaskSpec.newBuilder().setContainer(container).setResources(resources))
        .build();
  }

  @Test
  void runsATaskThroughEveryStateToComplete() {
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    Task t = task("echo hi");
    runtime.start(t, events);

    TaskStatus done = events.awaitTerminal(t.getId());
    assertThat(events.states(t.getId()))
        .containsExactly(
            TaskState.ACCEPTED,
            TaskState.PREPARING,
            TaskState.READY,
            TaskState.STARTING,
            TaskState.RUNNING,
            TaskState.COMPLETE);
    TaskStatus running = events.awaitState(t.getId(), TaskState.RUNNING);
    assertThat(running.getContainer().getContainerId()).isNotEmpty();
    assertThat(done.getContainer().getExitCode()).isZero();
    assertThat(done.getErr()).isEmpty();

    ContainerState container =
        docker.inspectContainer(running.getContainer().getContainerId()).orElseThrow();
    assertThat(container.name()).isEqualTo("rt-" + run + "." + t.getSlot() + "." + t.getId());
    assertThat(container.labels())
        .containsEntry(ContainerConfigs.LABEL_NODE_ID, nodeA)
        .containsEntry(ContainerConfigs.LABEL_TASK_ID, t.getId());
  }

  @Test
  void aMissingImageIsRejectedWithoutCreatingAContainer() {
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    Task t =
        task(
            ContainerSpec.newBuilder().setImage("corral-test/nope:1"),
            ResourceRequirements.getDefaultInstance());
    runtime.start(t, events);

    TaskStatus rejected = events.awaitTerminal(t.getId());
    assertThat(rejected.getState()).isEqualTo(TaskState.REJECTED);
    assertThat(rejected.getErr()).isEqualTo("No such image: corral-test/nope:1");
    assertThat(events.states(t.getId()))
        .containsExactly(TaskState.ACCEPTED, TaskState.PREPARING, TaskState.REJECTED);
    assertThat(docker.listContainers(Map.of(ContainerConfigs.LABEL_NODE_ID, nodeA))).isEmpty();
  }

  @Test
  void anEngineErrorAtCreateRejectsWithTheEnginesMessage() {
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    // The engine refuses a memory limit below its 6 MB minimum when creating the container.
    Task t =
        task(
            ContainerSpec.newBuilder().setImage(DockerAvailable.IMAGE).addCommand("true"),
            ResourceRequirements.newBuilder()
                .setLimits(Resources.newBuilder().setMemoryBytes(1024))
                .build());
    runtime.start(t, events);

    TaskStatus rejected = events.awaitTerminal(t.getId());
    assertThat(rejected.getState()).isEqualTo(TaskState.REJECTED);
    assertThat(rejected.getErr()).containsIgnoringCase("memory");
  }

  @Test
  void aCommandTheEngineCannotStartFailsWithTheEnginesMessage() {
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    Task t =
        task(
            ContainerSpec.newBuilder()
                .setImage(DockerAvailable.IMAGE)
                .addCommand("/no/such/program"),
            ResourceRequirements.getDefaultInstance());
    runtime.start(t, events);

    TaskStatus failed = events.awaitTerminal(t.getId());
    assertThat(failed.getState()).isEqualTo(TaskState.FAILED);
    assertThat(failed.getErr()).contains("/no/such/program");
    assertThat(events.states(t.getId()))
        .contains(TaskState.STARTING)
        .doesNotContain(TaskState.RUNNING);
  }

  @Test
  void aStopRightAfterStartEndsShutdownWithNothingLeftRunning() {
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    Task t = task(STUBBORN);
    runtime.start(t, events);
    runtime.stop(t.getId(), Duration.ZERO);

    assertThat(events.awaitTerminal(t.getId()).getState()).isEqualTo(TaskState.SHUTDOWN);
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                docker.listContainers(Map.of(ContainerConfigs.LABEL_NODE_ID, nodeA)).stream()
                    .noneMatch(c -> c.state().equals("running")));
  }

  @Test
  void removeStopsTheTaskAndDeletesItsContainer() {
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    Task t = task(GRACEFUL);
    String id = started(runtime, t, events);

    runtime.remove(t.getId(), Duration.ofSeconds(10));
    assertThat(events.awaitTerminal(t.getId()).getState()).isEqualTo(TaskState.SHUTDOWN);
    await().atMost(TIMEOUT).until(() -> docker.inspectContainer(id).isEmpty());
  }

  @Test
  void aNewRuntimeAdoptsRunningAndExitedContainersOfItsNode() {
    TaskLifecycle<DockerTask> before = runtime(nodeA);
    TaskEvents first = new TaskEvents(TIMEOUT);
    Task running = task(GRACEFUL);
    Task failed = task("exit 4");
    Task completed = task("true");
    before.start(running, first);
    before.start(failed, first);
    before.start(completed, first);
    String runningId =
        first.awaitState(running.getId(), TaskState.RUNNING).getContainer().getContainerId();
    first.awaitTerminal(failed.getId());
    first.awaitTerminal(completed.getId());
    before.close(); // the daemon goes away; its containers stay

    TaskLifecycle<DockerTask> after = runtime(nodeA);
    TaskEvents second = new TaskEvents(TIMEOUT);
    Map<String, TaskStatus> adopted = after.adopt(second);

    assertThat(adopted).containsOnlyKeys(running.getId(), failed.getId(), completed.getId());
    assertThat(adopted.get(running.getId()).getState()).isEqualTo(TaskState.RUNNING);
    assertThat(adopted.get(running.getId()).getContainer().getContainerId()).isEqualTo(runningId);
    assertThat(adopted.get(running.getId()).getContainer().getPid()).isPositive();
    assertThat(adopted.get(failed.getId()).getState()).isEqualTo(TaskState.FAILED);
    assertThat(adopted.get(failed.getId()).getErr()).isEqualTo("task: non-zero exit (4)");
    assertThat(adopted.get(failed.getId()).getContainer().getExitCode()).isEqualTo(4);
    assertThat(adopted.get(completed.getId()).getState()).isEqualTo(TaskState.COMPLETE);

    // The adopted running task is watched as if started here: a stop ends it SHUTDOWN through the
    // new listener.
    after.stop(running.getId(), Duration.ofSeconds(120));
    assertThat(second.awaitTerminal(running.getId()).getState()).isEqualTo(TaskState.SHUTDOWN);
    // Starting an adopted task again does not run a second container.
    after.start(running, second);
    assertThat(docker.listContainers(Map.of(ContainerConfigs.LABEL_TASK_ID, running.getId())))
        .hasSize(1);
  }

  @Test
  void anAdoptedRunningTaskReportsItsOwnExit() {
    TaskLifecycle<DockerTask> before = runtime(nodeA);
    TaskEvents first = new TaskEvents(TIMEOUT);
    Task sleeper = task("trap 'exit 6' TERM; while true; do sleep 0.1; done");
    String id = started(before, sleeper, first);
    before.close();

    TaskLifecycle<DockerTask> after = runtime(nodeA);
    TaskEvents second = new TaskEvents(TIMEOUT);
    assertThat(after.adopt(second).get(sleeper.getId()).getState()).isEqualTo(TaskState.RUNNING);
    // Stopped outside Corral: not a stop the runtime asked for, so its exit is a failure with the
    // code.
    docker.stopContainer(id, Duration.ofSeconds(30));
    TaskStatus end = second.awaitTerminal(sleeper.getId());
    assertThat(end.getState()).isEqualTo(TaskState.FAILED);
    assertThat(end.getErr()).isEqualTo("task: non-zero exit (6)");
  }

  @Test
  void aClosedRuntimeStartsNothingAndStopsQuietly() {
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    runtime.close();
    TaskEvents events = new TaskEvents(TIMEOUT);
    Task t = task("echo hi");
    runtime.start(t, events);
    runtime.stop(t.getId(), Duration.ZERO);
    runtime.remove(t.getId(), Duration.ZERO);

    assertThat(events.statuses).isEmpty();
    assertThat(docker.listContainers(Map.of(ContainerConfigs.LABEL_NODE_ID, nodeA))).isEmpty();
  }

  @Test
  void adoptClearsAContainerThatWasCreatedButNeverStarted() {
    Task t = task("echo hi");
    String id = createBehindTheRuntimesBack(t, nodeA);

    assertThat(runtime(nodeA).adopt(new TaskEvents(TIMEOUT))).isEmpty();
    assertThat(docker.inspectContainer(id)).isEmpty();
  }

  @Test
  void startCarriesOnWithTheTasksOwnCreatedContainerInsteadOfFailingOnTheName() {
    Task t = task("echo hi");
    String id = createBehindTheRuntimesBack(t, nodeA);
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    runtime.start(t, events);

    TaskStatus done = events.awaitTerminal(t.getId());
    assertThat(done.getState()).isEqualTo(TaskState.COMPLETE);
    assertThat(done.getContainer().getContainerId()).isEqualTo(id);
    assertThat(docker.listContainers(Map.of(ContainerConfigs.LABEL_TASK_ID, t.getId()))).hasSize(1);
  }

  @Test
  void startOfATaskWhoseContainerAlreadyRunsReportsItInsteadOfRunningASecond() {
    Task t = task(GRACEFUL);
    String id = createBehindTheRuntimesBack(t, nodeA);
    docker.startContainer(id);
    TaskLifecycle<DockerTask> runtime =
        runtime(nodeA); // adopt was not called, as after an engine outage at daemon start
    TaskEvents events = new TaskEvents(TIMEOUT);
    runtime.start(t, events);

    TaskStatus running = events.awaitState(t.getId(), TaskState.RUNNING);
    assertThat(running.getContainer().getContainerId()).isEqualTo(id);
    assertThat(docker.listContainers(Map.of(ContainerConfigs.LABEL_TASK_ID, t.getId()))).hasSize(1);
    runtime.stop(t.getId(), Duration.ofSeconds(120));
    assertThat(events.awaitTerminal(t.getId()).getState()).isEqualTo(TaskState.SHUTDOWN);
  }

  @Test
  void aNameTakenByAnotherNodesContainerRejectsTheTask() {
    Task t = task("echo hi");
    docker.createContainer(
        ContainerConfigs.containerName(t), ContainerConfigs.createBody(t, nodeB, "none"));
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    runtime.start(t, events);

    TaskStatus rejected = events.awaitTerminal(t.getId());
    assertThat(rejected.getState()).isEqualTo(TaskState.REJECTED);
    assertThat(rejected.getErr()).contains("already in use");
  }

  @Test
  void aRuntimeNeverSeesOrTouchesAnotherNodesContainers() {
    TaskLifecycle<DockerTask> a = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    Task t = task(GRACEFUL);
    String id = started(a, t, events);

    TaskLifecycle<DockerTask> b = runtime(nodeB);
    TaskEvents other = new TaskEvents(TIMEOUT);
    assertThat(b.adopt(other)).isEmpty();
    LogLines lines = new LogLines();
    b.logs(t.getId(), LogSubscriptionOptions.getDefaultInstance(), lines);
    assertThat(lines.ends).hasValue(1);
    assertThat(lines.text).isEmpty();
    b.stop(t.getId(), Duration.ZERO);
    b.remove(t.getId(), Duration.ZERO);
    // A leftover of node B's own (created behind the runtime's back) is what a remove of an unknown
    // task clears;
    // such removals run one after the other, so once it is gone, the remove of a's task has been
    // handled too.
    Task leftover = task("true");
    String leftoverId =
        docker.createContainer(
            ContainerConfigs.containerName(leftover),
            ContainerConfigs.createBody(leftover, nodeB, "none"));
    b.remove(leftover.getId(), Duration.ZERO);
    await().atMost(TIMEOUT).until(() -> docker.inspectContainer(leftoverId).isEmpty());

    assertThat(docker.inspectContainer(id))
        .hasValueSatisfying(c -> assertThat(c.running()).isTrue());
    assertThat(other.statuses).doesNotContainKey(t.getId());
    assertThat(events.states(t.getId())).doesNotContain(TaskState.SHUTDOWN);
  }

  @Test
  void logsHonourTailStreamsAndSince() {
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    Task t = task("echo one; echo two >&2; echo three; echo four");
    runtime.start(t, events);
    events.awaitTerminal(t.getId());

    LogLines all = read(runtime, t.getId(), LogSubscriptionOptions.getDefaultInstance());
    assertThat(all.text).containsExactlyInAnyOrder("one\n", "two\n", "three\n", "four\n");
    assertThat(all.streams.get(all.text.indexOf("two\n"))).isEqualTo(LogStream.LOG_STREAM_STDERR);
    assertThat(all.streams.get(all.text.indexOf("one\n"))).isEqualTo(LogStream.LOG_STREAM_STDOUT);
    assertThat(all.times).doesNotContainNull();

    LogLines stdoutOnly =
        read(
            runtime,
            t.getId(),
            LogSubscriptionOptions.newBuilder().addStreams(LogStream.LOG_STREAM_STDOUT).build());
    assertThat(stdoutOnly.text).containsExactly("one\n", "three\n", "four\n");

    // Across stdout and stderr the engine's order is not the write order; within one stream it is.
    Task stdout = task("echo one; echo two; echo three; echo four");
    runtime.start(stdout, events);
    events.awaitTerminal(stdout.getId());
    LogLines tail =
        read(runtime, stdout.getId(), LogSubscriptionOptions.newBuilder().setTail(2).build());
    assertThat(tail.text).containsExactly("three\n", "four\n");

    LogLines written = read(runtime, stdout.getId(), LogSubscriptionOptions.getDefaultInstance());
    Instant third = written.times.get(2);
    LogLines since =
        read(
            runtime,
            stdout.getId(),
            LogSubscriptionOptions.newBuilder()
                .setSince(
                    Timestamp.newBuilder()
                        .setSeconds(third.getEpochSecond())
                        .setNanos(third.getNano()))
                .build());
    assertThat(since.text).endsWith("three\n", "four\n").doesNotContain("one\n");
  }

  @Test
  void followedLogsDeliverNewLinesUntilTheTaskEnds() {
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    Task t =
        task("i=0; trap 'exit 0' TERM; while true; do echo tick$i; i=$((i+1)); sleep 0.1; done");
    runtime.start(t, events);
    events.awaitState(t.getId(), TaskState.RUNNING);

    LogLines followed = new LogLines();
    runtime.logs(
        t.getId(),
        LogSubscriptionOptions.newBuilder().setFollow(true).setTail(0).build(),
        followed);
    await().atMost(TIMEOUT).until(() -> followed.text.size() >= 3);
    assertThat(followed.ends).hasValue(0);
    assertThat(followed.text).allMatch(l -> l.matches("tick\\d+\n"));
    assertThat(followed.times).isSorted();

    runtime.stop(t.getId(), Duration.ofSeconds(30));
    await().atMost(TIMEOUT).until(() -> followed.ends.get() == 1);
    assertThat(events.awaitTerminal(t.getId()).getState()).isEqualTo(TaskState.SHUTDOWN);
  }

  @Test
  void limitsAndReservationsReachTheEngine() {
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    Task t =
        task(
            ContainerSpec.newBuilder()
                .setImage(DockerAvailable.IMAGE)
                .addCommand("sh")
                .addArgs("-c")
                .addArgs(GRACEFUL),
            ResourceRequirements.newBuilder()
                .setLimits(
                    Resources.newBuilder().setMemoryBytes(64L << 20).setNanoCpus(500_000_000L))
                .setReservations(
                    Resources.newBuilder().setMemoryBytes(32L << 20).setNanoCpus(250_000_000L))
                .build());
    String id = started(runtime, t, events);

    ContainerState c = docker.inspectContainer(id).orElseThrow();
    assertThat(c.memoryBytes()).isEqualTo(64L << 20);
    assertThat(c.nanoCpus()).isEqualTo(500_000_000L);
  }

  /**
   * The task's container as a runtime of {@code node} would create it, made directly through the
   * engine.
   */
  private String createBehindTheRuntimesBack(Task t, String node) {
    return docker.createContainer(
        ContainerConfigs.containerName(t), ContainerConfigs.createBody(t, node, "none"));
  }

  /** Reads a task's logs without following and waits for the end. */
  private static LogLines read(TaskRuntime runtime, String taskId, LogSubscriptionOptions options) {
    return LogLines.read(runtime, taskId, options, TIMEOUT);
  }

  /** An image bin/ci-docker-setup builds, or the test is skipped. */
  private void assumeImage(String image) {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        docker.inspectImage(image).isPresent(),
        "test image " + image + " is missing (bin/ci-docker-setup imports it)");
  }

  @Test
  void aTaskInheritsItsImagesHealthcheckAndNoneDisablesIt() {
    String image = "corral-test/unhealthy:1";
    assumeImage(image);
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    Task inherits =
        task(ContainerSpec.newBuilder().setImage(image), ResourceRequirements.getDefaultInstance());
    runtime.start(inherits, events);
    TaskStatus failed = events.awaitTerminal(inherits.getId());
    assertThat(failed.getState()).isEqualTo(TaskState.FAILED);
    assertThat(failed.getErr()).isEqualTo("unhealthy container");
    assertThat(failed.getHealth()).isEqualTo(TaskStatus.Health.UNHEALTHY);
    assertThat(failed.getContainer().getExitCode()).as("its SIGTERM trap ran").isZero();

    Task disabled =
        task(
            ContainerSpec.newBuilder()
                .setImage(image)
                .setHealthcheck(io.corral.api.HealthConfig.newBuilder().addTest("NONE")),
            ResourceRequirements.getDefaultInstance());
    started(runtime, disabled, events);
    assertThat(events.last(disabled.getId()).getHealth()).isEqualTo(TaskStatus.Health.NONE);
    assertThat(events.states(disabled.getId())).containsOnlyOnce(TaskState.STARTING);
  }

  @Test
  void theTwoBusyboxVersionsSayWhichTheyAre() {
    assumeImage("corral-test/busybox:2");
    TaskLifecycle<DockerTask> runtime = runtime(nodeA);
    TaskEvents events = new TaskEvents(TIMEOUT);
    for (String image : List.of(DockerAvailable.IMAGE, "corral-test/busybox:2")) {
      Task t =
          task(
              ContainerSpec.newBuilder().setImage(image),
              ResourceRequirements.getDefaultInstance());
      String id = started(runtime, t, events);
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  docker.logs(id, new LogOptions(false, false, -1, null)).stream()
                      .anyMatch(e -> e.line().equals("hello from " + image + ", pid 1")));
      runtime.stop(t.getId(), Duration.ofMinutes(5)); // only its own trap ends it within the wait
      assertThat(events.awaitTerminal(t.getId()).getContainer().getExitCode()).isZero();
    }
  }
}
