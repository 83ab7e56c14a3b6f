package io.corral.cli.service;

import static io.corral.cli.FakeDaemon.service;
import static io.corral.cli.FakeDaemon.task;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.PromoteServiceRequest;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
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

class ServicePromoteCommandTest {

  static final String WEB = "web00000000000000000000001";
  static final String NODE = "4kq8wz1x2c3v4b5n6m7l8k9j0";

  @TempDir Path dir;
  FakeDaemon daemon;

  /** A task of web on spec version {@code version}, running or shut down. */
  static Task t(String id, long slot, long version, TaskState state) {
    TaskState desired = state == TaskState.SHUTDOWN ? TaskState.SHUTDOWN : TaskState.RUNNING;
    return task(id, WEB, slot, NODE, state, desired, FakeDaemon.JOINED).toBuilder()
        .setSpecVersion(Version.newBuilder().setIndex(version))
        .build();
  }

  /** web, 3 replicas on spec version 2, its update held with {@code state}. */
  static Service web(UpdateStatus.UpdateState state) {
    Service sv = service(WEB, "web", "app:2", 3);
    return sv.toBuilder()
        .setSpecVersion(Version.newBuilder().setIndex(2))
        .setPreviousSpec(sv.getSpec())
        .setPreviousSpecVersion(Version.newBuilder().setIndex(1))
        .setUpdateStatus(
            UpdateStatus.newBuilder()
                .setState(state)
                .setMessage("canary: 1 of 3 slots updated; promote or roll back"))
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    daemon =
        FakeDaemon.start(dir)
            .add(worker(NODE, "node-1", "10.0.0.1"))
            .add(web(UpdateStatus.UpdateState.CANARY))
            .add(
                t("new1", 1, 2, TaskState.RUNNING),
                t("old1", 1, 1, TaskState.SHUTDOWN),
                t("old2", 2, 1, TaskState.RUNNING),
                t("old3", 3, 1, TaskState.RUNNING));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void detachedPromotePrintsTheServiceAsNamedAndAsksTheManager() {
    Result r = daemon.run("service", "promote", "-d", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("web\n");
    assertThat(daemon.requests(PromoteServiceRequest.class))
        .containsExactly(PromoteServiceRequest.newBuilder().setServiceId(WEB).build());
    assertThat(daemon.service(WEB).getUpdateStatus().getCanaryPromoted()).isTrue();
    assertThat(daemon.methods()).doesNotContain("ListTasks");
  }

  @Test
  void promoteFollowsTheRestOfTheUpdateUntilItConverges() {
    daemon.evolve(
        List.of(t("old2", 2, 1, TaskState.SHUTDOWN), t("new2", 2, 2, TaskState.RUNNING)),
        List.of(t("old3", 3, 1, TaskState.SHUTDOWN), t("new3", 3, 2, TaskState.RUNNING)));

    Result r = daemon.run("service", "promote", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "web",
            "overall progress: 0 out of 3 tasks",
            "1/3: running",
            "2/3: running",
            "overall progress: 2 out of 3 tasks",
            "3/3: running",
            "overall progress: 3 out of 3 tasks",
            "verify: Waiting 1 seconds to verify that tasks are stable...",
            "verify: Service converged");
  }

  @Test
  void aServiceNotInItsCanaryStageIsRefusedWithTheManagersMessage() {
    daemon.add(web(UpdateStatus.UpdateState.COMPLETED));

    Result r = daemon.run("service", "promote", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "Error response from daemon: service web is not in its canary stage: there is no"
                + " update to promote\n");
    assertThat(daemon.service(WEB).getUpdateStatus().getState())
        .isEqualTo(UpdateStatus.UpdateState.COMPLETED);
  }

  @Test
  void anUnknownServiceIsReportedBeforeAnythingIsAsked() {
    Result r = daemon.run("service", "promote", "nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error: No such service: nope\n");
    assertThat(daemon.methods()).doesNotContain("PromoteService");
  }
}
