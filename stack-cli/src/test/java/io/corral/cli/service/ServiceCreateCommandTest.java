package io.corral.cli.service;

import static io.corral.cli.FakeDaemon.task;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.corral.api.ContainerSpec;
import io.corral.api.CreateServiceRequest;
import io.corral.api.GlobalService;
import io.corral.api.Placement;
import io.corral.api.PlacementPreference;
import io.corral.api.ReplicatedJob;
import io.corral.api.ReplicatedService;
import io.corral.api.ResourceRequirements;
import io.corral.api.Resources;
import io.corral.api.RestartPolicy;
import io.corral.api.ServiceSpec;
import io.corral.api.SpreadOver;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.api.UpdateConfig;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceCreateCommandTest {

  static final String ID = "web0000000000000000000001";
  static final String NODE_A = "4kq8wz1x2c3v4b5n6m7l8k9j0";
  static final String NODE_B = "9hgf8d7s6a5p4o3i2u1y0t9r8";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon =
        FakeDaemon.start(dir)
            .nextServiceId(ID)
            .add(worker(NODE_A, "node-1", "10.0.0.1"), worker(NODE_B, "node-2", "10.0.0.2"));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  private static Duration seconds(long s, int nanos) {
    return Duration.newBuilder().setSeconds(s).setNanos(nanos).build();
  }

  private static ServiceSpec.Builder defaults(ContainerSpec.Builder container) {
    return ServiceSpec.newBuilder()
        .setTask(
            TaskSpec.newBuilder()
                .setContainer(container)
                .setPlacement(Placement.getDefaultInstance()))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(1))
        .setUpdate(UpdateConfig.newBuilder().setParallelism(1))
        .setRollback(UpdateConfig.newBuilder().setParallelism(1));
  }

  @Test
  void detachedPrintsTheIdAndSendsEveryFlagAsDockerDoes() {
    Result r =
        daemon.run(
            "service",
            "create",
            "-d",
            "--name",
            "web",
            "--replicas",
            "3",
            "-e",
            "A=1",
            "--env",
            "B=two words",
            "--label",
            "tier=front",
            "--label",
            "solo",
            "--container-label",
            "c=d",
            "--constraint",
            "node.role==worker",
            "--constraint",
            "node.labels.zone!=b",
            "--placement-pref",
            "spread=node.labels.zone",
            "--replicas-max-per-node",
            "2",
            "--reserve-cpu",
            "0.25",
            "--reserve-memory",
            "64M",
            "--limit-cpu",
            "1.5",
            "--limit-memory",
            "1G",
            "--restart-condition",
            "on-failure",
            "--restart-delay",
            "1m30s",
            "--restart-max-attempts",
            "4",
            "--restart-window",
            "100ms",
            "--stop-grace-period",
            "20s",
            "--entrypoint",
            "/bin/sh -c",
            "--workdir",
            "/srv",
            "--user",
            "nobody:nogroup",
            "app:1",
            "echo hi",
            "--not-a-flag");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(ID + "\n");
    ServiceSpec.Builder expected =
        defaults(
                ContainerSpec.newBuilder()
                    .setImage("app:1")
                    .addCommand("/bin/sh")
                    .addCommand("-c")
                    .addArgs("echo hi")
                    .addArgs("--not-a-flag")
                    .addEnv("A=1")
                    .addEnv("B=two words")
                    .putLabels("c", "d")
                    .setDir("/srv")
                    .setUser("nobody:nogroup")
                    .setStopGracePeriod(seconds(20, 0)))
            .setReplicated(ReplicatedService.newBuilder().setReplicas(3));
    expected
        .getAnnotationsBuilder()
        .setName("web")
        .putLabels("tier", "front")
        .putLabels("solo", "");
    expected
        .getTaskBuilder()
        .setResources(
            ResourceRequirements.newBuilder()
                .setLimits(
                    Resources.newBuilder().setNanoCpus(1_500_000_000L).setMemoryBytes(1L << 30))
                .setReservations(
                    Resources.newBuilder().setNanoCpus(250_000_000L).setMemoryBytes(64L << 20)))
        .setRestart(
            RestartPolicy.newBuilder()
                .setCondition(RestartPolicy.RestartCondition.ON_FAILURE)
                .setDelay(seconds(90, 0))
                .setMaxAttempts(4)
                .setWindow(seconds(0, 100_000_000)))
        .setPlacement(
            Placement.newBuilder()
                .addConstraints("node.role==worker")
                .addConstraints("node.labels.zone!=b")
                .addPreferences(
                    PlacementPreference.newBuilder()
                        .setSpread(SpreadOver.newBuilder().setSpreadDescriptor("node.labels.zone")))
                .setMaxReplicas(2));
    assertThat(daemon.requests(CreateServiceRequest.class))
        .containsExactly(CreateServiceRequest.newBuilder().setSpec(expected).build());
    // Detached: nothing is polled.
    assertThat(daemon.methods()).containsExactly("CreateService");
  }

  @Test
  void modesAndTheirDefaults() {
    daemon.run("service", "create", "-d", "--mode", "global", "app:1");
    daemon.run("service", "create", "-d", "--mode", "replicated-job", "--replicas", "5", "app:1");
    daemon.run(
        "service",
        "create",
        "-d",
        "--mode",
        "replicated-job",
        "--max-concurrent",
        "2",
        "--replicas",
        "6",
        "app:1");
    daemon.run("service", "create", "-d", "--mode", "global-job", "app:1");

    List<ServiceSpec> specs =
        daemon.requests(CreateServiceRequest.class).stream()
            .map(CreateServiceRequest::getSpec)
            .toList();
    assertThat(specs.get(0).getGlobal()).isEqualTo(GlobalService.getDefaultInstance());
    assertThat(specs.get(0).getTask().hasRestart()).isFalse();
    assertThat(specs.get(1).getReplicatedJob())
        .isEqualTo(ReplicatedJob.newBuilder().setMaxConcurrent(5).setTotalCompletions(5).build());
    // Jobs restart only failed tasks unless told otherwise.
    assertThat(specs.get(1).getTask().getRestart().getCondition())
        .isEqualTo(RestartPolicy.RestartCondition.ON_FAILURE);
    assertThat(specs.get(2).getReplicatedJob())
        .isEqualTo(ReplicatedJob.newBuilder().setMaxConcurrent(2).setTotalCompletions(6).build());
    assertThat(specs.get(3).hasGlobalJob()).isTrue();
  }

  @Test
  void envWithoutValueIsTakenFromTheCliEnvironment() {
    daemon.run(
        "service", "create", "-d", "-e", "PATH", "-e", "CORRAL_SURELY_UNSET_VARIABLE", "app:1");

    assertThat(
            daemon
                .requests(CreateServiceRequest.class)
                .get(0)
                .getSpec()
                .getTask()
                .getContainer()
                .getEnvList())
        .containsExactly("PATH=" + System.getenv("PATH"), "CORRAL_SURELY_UNSET_VARIABLE");
  }

  @Test
  void invalidFlagsFailBeforeAnythingIsCreated() {
    String[][] cases = {
      {
        "--limit-memory",
        "lots",
        "invalid argument \"lots\" for \"--limit-memory\" flag: invalid size: 'lots'"
      },
      {
        "--reserve-cpu",
        "0.0000000001",
        "invalid argument \"0.0000000001\" for \"--reserve-cpu\" flag: value is too precise"
      },
      {
        "--restart-delay",
        "5",
        "invalid argument \"5\" for \"--restart-delay\" flag: time: missing unit in duration \"5\""
      },
      {
        "--stop-grace-period",
        "-1s",
        "invalid argument \"-1s\" for \"--stop-grace-period\" flag: must not be negative"
      },
      {
        "--replicas",
        "-1",
        "invalid argument \"-1\" for \"--replicas\" flag: strconv.ParseUint: parsing \"-1\": invalid syntax"
      },
      {
        "--restart-condition",
        "always",
        "invalid argument \"always\" for \"--restart-condition\" flag: must be one of \"none\", \"on-failure\", \"any\""
      },
      {
        "--placement-pref",
        "pack=node.id",
        "invalid argument \"pack=node.id\" for \"--placement-pref\" flag: unsupported placement preference pack (only spread is supported)"
      },
      {
        "--mode",
        "daemonset",
        "invalid argument \"daemonset\" for \"--mode\" flag: unknown mode daemonset, use one of replicated, global, replicated-job, global-job"
      },
      {
        "--entrypoint",
        "sh -c 'oops",
        "invalid argument \"sh -c 'oops\" for \"--entrypoint\" flag: EOF found when expecting closing quote"
      },
    };
    for (String[] c : cases) {
      Result r = daemon.run("service", "create", c[0], c[1], "app:1");
      assertThat(r.exitCode()).as(c[0]).isEqualTo(1);
      assertThat(r.err()).as(c[0]).isEqualTo(c[2] + "\n");
      assertThat(r.out()).isEmpty();
    }
    assertThat(daemon.methods()).isEmpty();
  }

  @Test
  void modeConflictsAreRefusedWithDockersMessages() {
    assertThat(
            daemon.run("service", "create", "--mode", "global", "--replicas", "3", "app:1").err())
        .isEqualTo("replicas can only be used with replicated or replicated-job mode\n");
    assertThat(daemon.run("service", "create", "--max-concurrent", "3", "app:1").err())
        .isEqualTo("max-concurrent can only be used with replicated-job mode\n");
    assertThat(
            daemon
                .run(
                    "service",
                    "create",
                    "--mode",
                    "global-job",
                    "--replicas-max-per-node",
                    "1",
                    "app:1")
                .err())
        .isEqualTo(
            "replicas-max-per-node can only be used with replicated or replicated-job mode\n");
    assertThat(daemon.methods()).isEmpty();
  }

  @Test
  void daemonErrorsAreReported() {
    daemon.fail(
        "CreateService",
        io.grpc.Status.INVALID_ARGUMENT.withDescription(
            "invalid constraint \"node.role=worker\": expected one operator from ==, !="));

    Result r = daemon.run("service", "create", "--constraint", "node.role=worker", "app:1");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "Error response from daemon: invalid constraint \"node.role=worker\": "
                + "expected one operator from ==, !=\n");
    assertThat(r.out()).isEmpty();
  }

  static Task t(String id, long slot, String node, TaskState state) {
    return task(id, ID, slot, node, state, TaskState.RUNNING, FakeDaemon.JOINED);
  }

  @Test
  void followsTheServiceUntilItConvergesPrintingPlainProgressWhenNotATerminal() {
    daemon.evolve(
        List.of(t("task1", 1, "", TaskState.PENDING), t("task2", 2, "", TaskState.PENDING)),
        List.of(
            t("task1", 1, NODE_A, TaskState.RUNNING), t("task2", 2, NODE_B, TaskState.PREPARING)),
        List.of(
            t("task1", 1, NODE_A, TaskState.RUNNING), t("task2", 2, NODE_B, TaskState.RUNNING)));

    Result r = daemon.run("service", "create", "--name", "web", "--replicas", "2", "app:1");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            ID,
            "overall progress: 0 out of 2 tasks",
            "1/2: pending",
            "2/2: pending",
            "1/2: running",
            "2/2: preparing",
            "overall progress: 1 out of 2 tasks",
            "2/2: running",
            "overall progress: 2 out of 2 tasks",
            "verify: Waiting 1 seconds to verify that tasks are stable...",
            "verify: Service converged");
    // It asked for the service's up-to-date tasks only.
    assertThat(daemon.requests(io.corral.api.ListTasksRequest.class).get(0).getFilters())
        .isEqualTo(
            io.corral.api.ListTasksRequest.Filters.newBuilder()
                .addServiceIds(ID)
                .setUpToDate(true)
                .build());
  }

  @Test
  void aTaskFailureAfterConvergingIsDetectedAndWaitedOut() {
    daemon.monitor(java.time.Duration.ofMillis(600));
    List<Task> running = List.of(t("task1", 1, NODE_A, TaskState.RUNNING));
    Task failed =
        t("task1", 1, NODE_A, TaskState.FAILED).toBuilder()
            .setDesiredState(TaskState.SHUTDOWN)
            .build();
    daemon.evolve(
        running,
        List.of(failed, t("task2", 1, NODE_B, TaskState.STARTING)),
        List.of(failed, t("task2", 1, NODE_B, TaskState.RUNNING)));

    Result r = daemon.run("service", "create", "app:1");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .contains("verify: Detected task failure", "1/1: starting", "verify: Service converged");
  }

  @Test
  void quietPrintsOnlyTheIdButStillWaits() {
    daemon.evolve(List.of(t("task1", 1, NODE_A, TaskState.RUNNING)));

    Result r = daemon.run("service", "create", "-q", "app:1");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(ID + "\n");
    assertThat(daemon.methods()).contains("ListTasks");
  }

  @Test
  void givesUpWithTheReasonWhenNothingProgresses() {
    Task stuck =
        t("task1", 1, "", TaskState.PENDING).toBuilder()
            .setStatus(
                TaskStatus.newBuilder()
                    .setState(TaskState.PENDING)
                    .setErr("no suitable node (insufficient memory on 2 nodes)"))
            .build();
    daemon.evolve(List.of(stuck, t("task2", 2, NODE_A, TaskState.RUNNING)));

    Result r =
        daemon.run(
            "service",
            "create",
            "--name",
            "web",
            "--replicas",
            "2",
            "--reserve-memory",
            "1T",
            "--converge-timeout",
            "300ms",
            "app:1");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.outLines())
        .startsWith(ID)
        .contains(
            "1/2: no suitable node (insufficient memory on 2 nodes)",
            "overall progress: 1 out of 2 tasks");
    assertThat(r.err())
        .isEqualTo(
            "service web did not converge: no progress for 300ms\n"
                + "web.1: pending: no suitable node (insufficient memory on 2 nodes)\n"
                + "The service keeps converging in the background; see `corral service ps web`.\n");
  }

  @Test
  void aJobIsFollowedUntilEveryCompletionIsDone() {
    Task done1 =
        t("task1", 1, NODE_A, TaskState.COMPLETE).toBuilder()
            .setDesiredState(TaskState.COMPLETE)
            .build();
    Task done2 =
        t("task2", 2, NODE_B, TaskState.COMPLETE).toBuilder()
            .setDesiredState(TaskState.COMPLETE)
            .build();
    daemon.evolve(
        List.of(t("task1", 1, NODE_A, TaskState.RUNNING)),
        List.of(done1, t("task2", 2, NODE_B, TaskState.RUNNING)),
        List.of(done1, done2));

    Result r =
        daemon.run(
            "service",
            "create",
            "--mode",
            "replicated-job",
            "--replicas",
            "2",
            "--max-concurrent",
            "1",
            "app:1");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            ID,
            "job progress: 0 out of 2 complete",
            "active tasks: 0 out of 1 tasks",
            "1/2: running",
            "active tasks: 1 out of 1 tasks",
            "1/2: complete",
            "2/2: running",
            "job progress: 1 out of 2 complete",
            "2/2: complete",
            "job progress: 2 out of 2 complete",
            "active tasks: 0 out of 1 tasks",
            "job complete");
  }
}
