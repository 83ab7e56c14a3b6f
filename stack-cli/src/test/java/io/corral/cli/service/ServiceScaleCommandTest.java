package io.corral.cli.service;

import static io.corral.cli.FakeDaemon.service;
import static io.corral.cli.FakeDaemon.task;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.GlobalService;
import io.corral.api.ReplicatedJob;
import io.corral.api.Service;
import io.corral.api.TaskState;
import io.corral.api.UpdateServiceRequest;
import io.corral.api.Version;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceScaleCommandTest {

  static final String WEB = "web00000000000000000000001";
  static final String AGENT = "agent000000000000000000001";
  static final String JOB = "job00000000000000000000001";
  static final String NODE = "4kq8wz1x2c3v4b5n6m7l8k9j0";

  @TempDir Path dir;
  FakeDaemon daemon;
  Service web;
  Service job;

  @BeforeEach
  void start() throws Exception {
    web = service(WEB, "web", "app:1", 2);
    Service agent = service(AGENT, "agent", "agent:1", 0);
    agent =
        agent.toBuilder()
            .setSpec(agent.getSpec().toBuilder().setGlobal(GlobalService.getDefaultInstance()))
            .build();
    job = service(JOB, "job", "tool:1", 0);
    job =
        job.toBuilder()
            .setSpec(
                job.getSpec().toBuilder()
                    .setReplicatedJob(
                        ReplicatedJob.newBuilder().setMaxConcurrent(1).setTotalCompletions(1)))
            .build();
    daemon = FakeDaemon.start(dir).add(web, agent, job).add(worker(NODE, "node-1", "10.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void detachedScaleSendsTheNewCountWithTheVersionRead() {
    Result r = daemon.run("service", "scale", "-d", "web=5", "job=3");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("web scaled to 5\njob scaled to 3\n");
    Service.Builder scaledWeb = web.toBuilder();
    scaledWeb.getSpecBuilder().getReplicatedBuilder().setReplicas(5);
    Service.Builder scaledJob = job.toBuilder();
    scaledJob.getSpecBuilder().getReplicatedJobBuilder().setTotalCompletions(3);
    assertThat(daemon.requests(UpdateServiceRequest.class))
        .containsExactly(
            UpdateServiceRequest.newBuilder()
                .setServiceId(WEB)
                .setServiceVersion(Version.newBuilder().setIndex(FakeDaemon.NODE_VERSION))
                .setSpec(scaledWeb.getSpec())
                .build(),
            UpdateServiceRequest.newBuilder()
                .setServiceId(JOB)
                .setServiceVersion(Version.newBuilder().setIndex(FakeDaemon.NODE_VERSION))
                .setSpec(scaledJob.getSpec())
                .build());
    assertThat(daemon.service(WEB).getSpec().getReplicated().getReplicas()).isEqualTo(5);
  }

  @Test
  void refusesGlobalNegativeAndUnknownServicesButScalesTheRest() {
    Result r = daemon.run("service", "scale", "-d", "agent=3", "web=-1", "nope=2", "web0=4");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("web0 scaled to 4\n");
    assertThat(r.err())
        .isEqualTo(
            "agent: scale can only be used with replicated or replicated-job mode\n"
                + "web: invalid replicas value -1: strconv.ParseUint: parsing \"-1\": invalid syntax\n"
                + "nope: Error: No such service: nope\n");
    assertThat(daemon.requests(UpdateServiceRequest.class)).hasSize(1);
    assertThat(daemon.service(AGENT).getMeta().getVersion()).isEqualTo(FakeDaemon.NODE_VERSION);
  }

  @Test
  void malformedArgumentsChangeNothing() {
    Result r = daemon.run("service", "scale", "web=3", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("Invalid scale specifier 'web'.\n");
    assertThat(daemon.methods()).isEmpty();
  }

  @Test
  void waitsForConvergenceUnlessDetached() {
    daemon.evolve(
        List.of(task("t1", WEB, 1, NODE, TaskState.RUNNING, TaskState.RUNNING, FakeDaemon.JOINED)));

    Result r = daemon.run("service", "scale", "web=1");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "web scaled to 1",
            "overall progress: 0 out of 1 tasks",
            "1/1: running",
            "overall progress: 1 out of 1 tasks",
            "verify: Waiting 1 seconds to verify that tasks are stable...",
            "verify: Service converged");
  }

  @Test
  void versionConflictIsReported() {
    daemon.fail(
        "UpdateService",
        io.grpc.Status.FAILED_PRECONDITION.withDescription(
            "update out of sequence: service web00000000000000000000001 changed since it was read"));

    Result r = daemon.run("service", "scale", "-d", "web=3");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "web: Error response from daemon: update out of sequence: service "
                + "web00000000000000000000001 changed since it was read\n");
  }
}
