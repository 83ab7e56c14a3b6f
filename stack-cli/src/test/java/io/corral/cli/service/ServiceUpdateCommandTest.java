package io.corral.cli.service;

import static io.corral.cli.FakeDaemon.service;
import static io.corral.cli.FakeDaemon.task;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.CreateServiceRequest;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.UpdateServiceRequest;
import io.corral.api.UpdateStatus;
import io.corral.api.Version;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceUpdateCommandTest {

  static final String WEB = "web00000000000000000000001";
  static final String NODE = "4kq8wz1x2c3v4b5n6m7l8k9j0";

  @TempDir Path dir;
  FakeDaemon daemon;
  Service web;

  /** A task of web on spec version {@code version}. */
  static Task t(String id, long slot, long version, TaskState state) {
    TaskState desired = state == TaskState.SHUTDOWN ? TaskState.SHUTDOWN : TaskState.RUNNING;
    return task(id, WEB, slot, NODE, state, desired, FakeDaemon.JOINED).toBuilder()
        .setSpecVersion(Version.newBuilder().setIndex(version))
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    web =
        service(WEB, "web", "app:1", 2).toBuilder()
            .setSpecVersion(Version.newBuilder().setIndex(1))
            .build();
    daemon =
        FakeDaemon.start(dir)
            .add(worker(NODE, "node-1", "10.0.0.1"))
            .add(web)
            .add(t("old1", 1, 1, TaskState.RUNNING), t("old2", 2, 1, TaskState.RUNNING));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void detachedUpdatePrintsTheServiceAsNamedAndSendsTheChangedSpecWithTheVersionRead() {
    Result r =
        daemon.run(
            "service", "update", "-d", "--image", "app:2", "--update-parallelism", "1", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("web\n");
    Service.Builder expected = web.toBuilder();
    expected.getSpecBuilder().getTaskBuilder().getContainerBuilder().setImage("app:2");
    expected.getSpecBuilder().getUpdateBuilder().setParallelism(1);
    assertThat(daemon.requests(UpdateServiceRequest.class))
        .containsExactly(
            UpdateServiceRequest.newBuilder()
                .setServiceId(WEB)
                .setServiceVersion(Version.newBuilder().setIndex(FakeDaemon.NODE_VERSION))
                .setSpec(expected.getSpec())
                .build());
  }

  @Test
  void badRolloutValuesAreRefusedNamingTheFlagBeforeAnythingIsWritten() {
    Result r = daemon.run("service", "update", "--update-parallelism", "-1", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "invalid argument \"-1\" for \"--update-parallelism\" flag: strconv.ParseUint: parsing"
                + " \"-1\": invalid syntax\n");
    assertThat(daemon.requests(UpdateServiceRequest.class)).isEmpty();
  }

  @Test
  void rollbackTakesNoOtherFlag() {
    Result r = daemon.run("service", "update", "--rollback", "--image", "app:2", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("other flags may not be combined with --rollback\n");
    assertThat(daemon.methods()).isEmpty();
  }

  @Test
  void rollbackAsksForThePreviousSpecAndPrintsTheServiceAsNamed() {
    daemon.run("service", "update", "-d", "--image", "app:2", "web");

    Result r = daemon.run("service", "rollback", "-d", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("web\n");
    UpdateServiceRequest sent = daemon.requests(UpdateServiceRequest.class).get(1);
    assertThat(sent.getRollback()).isEqualTo(UpdateServiceRequest.Rollback.PREVIOUS);
    assertThat(sent.getServiceVersion().getIndex()).isEqualTo(FakeDaemon.NODE_VERSION + 1);
    assertThat(daemon.service(WEB).getSpec().getTask().getContainer().getImage())
        .isEqualTo("app:1");
  }

  @Test
  void rollbackWithoutAPreviousSpecReportsTheManagersError() {
    Result r = daemon.run("service", "rollback", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "Error response from daemon: service web does not have a previous spec; there is"
                + " nothing to roll back to\n");
  }

  @Test
  void updateFollowsTheReplacementUntilTheOldTasksHaveEnded() {
    daemon.evolve(
        List.of(t("old1", 1, 1, TaskState.SHUTDOWN), t("new1", 1, 2, TaskState.RUNNING)),
        List.of(t("old2", 2, 1, TaskState.SHUTDOWN), t("new2", 2, 2, TaskState.RUNNING)));

    Result r = daemon.run("service", "update", "--image", "app:2", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "web",
            "overall progress: 0 out of 2 tasks",
            "1/2: running",
            "overall progress: 1 out of 2 tasks",
            "2/2: running",
            "overall progress: 2 out of 2 tasks",
            "verify: Waiting 1 seconds to verify that tasks are stable...",
            "verify: Service converged");
  }

  @Test
  void canaryFlagsSetTheUpdateConfigOnUpdateAndCreate() {
    Result r =
        daemon.run(
            "service",
            "update",
            "-d",
            "--update-canary",
            "1",
            "--update-canary-auto",
            "30s",
            "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(daemon.service(WEB).getSpec().getUpdate())
        .isEqualTo(
            io.corral.api.UpdateConfig.newBuilder()
                .setCanary(1)
                .setCanaryAuto(com.google.protobuf.Duration.newBuilder().setSeconds(30))
                .build());
    assertThat(daemon.service(WEB).getSpec().hasRollback()).isFalse();

    r = daemon.run("service", "update", "-d", "--update-canary-auto", "0s", "web");

    assertThat(r.exitCode()).isZero();
    assertThat(daemon.service(WEB).getSpec().getUpdate().hasCanaryAuto()).isFalse();
    assertThat(daemon.service(WEB).getSpec().getUpdate().getCanary()).isEqualTo(1);

    r =
        daemon.run(
            "service",
            "create",
            "-d",
            "--name",
            "api",
            "--update-canary",
            "2",
            "--update-canary-auto",
            "1m",
            "api:1");

    assertThat(r.err()).isEmpty();
    assertThat(daemon.requests(CreateServiceRequest.class).get(0).getSpec().getUpdate())
        .isEqualTo(
            io.corral.api.UpdateConfig.newBuilder()
                .setParallelism(1)
                .setCanary(2)
                .setCanaryAuto(com.google.protobuf.Duration.newBuilder().setSeconds(60))
                .build());
  }

  @Test
  void badCanaryValuesAreRefusedNamingTheFlagBeforeAnythingIsWritten() {
    Result negative = daemon.run("service", "update", "--update-canary", "-1", "web");
    Result badDuration = daemon.run("service", "update", "--update-canary-auto", "soon", "web");
    Result autoWithoutCanary =
        daemon.run("service", "update", "--update-canary-auto", "30s", "web");
    Result onCreate = daemon.run("service", "create", "--update-canary", "x", "app:1");

    assertThat(negative.exitCode()).isEqualTo(1);
    assertThat(negative.err())
        .isEqualTo(
            "invalid argument \"-1\" for \"--update-canary\" flag: strconv.ParseUint: parsing"
                + " \"-1\": invalid syntax\n");
    assertThat(badDuration.exitCode()).isEqualTo(1);
    assertThat(badDuration.err())
        .startsWith("invalid argument \"soon\" for \"--update-canary-auto\" flag: ");
    assertThat(autoWithoutCanary.exitCode()).isEqualTo(1);
    assertThat(autoWithoutCanary.err())
        .isEqualTo(
            "--update-canary-auto 30s has no effect without canaries: add --update-canary N (N >"
                + " 0)\n");
    assertThat(onCreate.exitCode()).isEqualTo(1);
    assertThat(onCreate.err()).startsWith("invalid argument \"x\" for \"--update-canary\" flag");
    assertThat(daemon.requests(UpdateServiceRequest.class)).isEmpty();
    assertThat(daemon.requests(CreateServiceRequest.class)).isEmpty();
  }

  @Test
  void rollbacksHaveNoCanaryFlag() {
    Result r = daemon.run("service", "update", "--rollback-canary", "1", "web");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("--rollback-canary");
    assertThat(daemon.methods()).isEmpty();
  }

  static UpdateStatus status(UpdateStatus.UpdateState state, String message) {
    return UpdateStatus.newBuilder().setState(state).setMessage(message).build();
  }

  @Test
  void anUpdateHeldInItsCanaryStageEndsTheWaitWithItsMessageAndWhatToRunNext() {
    daemon
        .evolveUpdate(
            WEB,
            status(UpdateStatus.UpdateState.UPDATING, "update in progress"),
            status(
                UpdateStatus.UpdateState.CANARY,
                "canary: 1 of 2 slots updated; promote or roll back"))
        .evolve(List.of(t("old1", 1, 1, TaskState.SHUTDOWN), t("new1", 1, 2, TaskState.RUNNING)));

    Result r = daemon.run("service", "update", "--image", "app:2", "--update-canary", "1", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "web",
            "overall progress: 0 out of 2 tasks",
            "1/2: running",
            "overall progress: 1 out of 2 tasks",
            "canary: 1 of 2 slots updated; promote or roll back",
            "run \"corral service promote web\" to continue or \"corral service rollback web\" to"
                + " undo");
  }

  @Test
  void aPromotedCanaryStageDoesNotEndTheWait() {
    daemon
        .evolveUpdate(
            WEB,
            status(UpdateStatus.UpdateState.CANARY, "").toBuilder().setCanaryPromoted(true).build())
        .evolve(
            List.of(t("old1", 1, 1, TaskState.SHUTDOWN), t("new1", 1, 2, TaskState.RUNNING)),
            List.of(t("old2", 2, 1, TaskState.SHUTDOWN), t("new2", 2, 2, TaskState.RUNNING)));

    Result r = daemon.run("service", "update", "--image", "app:2", "web");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).last().isEqualTo("verify: Service converged");
    assertThat(r.out()).doesNotContain("canary");
  }

  @Test
  void aPausedUpdateEndsTheWaitWithItsReasonAndAFailure() {
    daemon
        .evolveUpdate(
            WEB,
            status(UpdateStatus.UpdateState.UPDATING, "update in progress"),
            status(
                UpdateStatus.UpdateState.PAUSED,
                "update paused due to failure or early termination of task new1"))
        .evolve(List.of(t("old1", 1, 1, TaskState.SHUTDOWN), t("new1", 1, 2, TaskState.FAILED)));

    Result r = daemon.run("service", "update", "--image", "app:2", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "service update paused: update paused due to failure or early termination of task"
                + " new1\n");
  }

  @Test
  void aPausedRollbackEndsTheWaitWithItsReasonAndAFailure() {
    daemon.run("service", "update", "-d", "--image", "app:2", "web");
    daemon.evolveUpdate(
        WEB,
        status(UpdateStatus.UpdateState.ROLLBACK_STARTED, "manually requested rollback"),
        status(
            UpdateStatus.UpdateState.ROLLBACK_PAUSED,
            "rollback paused due to failure or early termination of task old9"));

    Result r = daemon.run("service", "rollback", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.outLines()).contains("rollback: manually requested rollback");
    assertThat(r.err())
        .isEqualTo(
            "service rollback paused: rollback paused due to failure or early termination of task"
                + " old9\n");
  }
}
