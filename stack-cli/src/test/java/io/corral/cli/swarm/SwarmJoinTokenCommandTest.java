package io.corral.cli.swarm;

import static io.corral.cli.FakeDaemon.CLUSTER_ID;
import static io.corral.cli.FakeDaemon.CLUSTER_VERSION;
import static io.corral.cli.FakeDaemon.MANAGER_TOKEN;
import static io.corral.cli.FakeDaemon.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.KeyRotation;
import io.corral.api.UpdateClusterRequest;
import io.corral.api.Version;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwarmJoinTokenCommandTest {

  static final String ADDR = "10.0.0.1:2377";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon =
        FakeDaemon.start(dir)
            .self("4kq8wz1x2c3v4b5n6m7l8k9j0", ADDR)
            .cluster(FakeDaemon.defaultCluster());
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void workerPrintsTheJoinCommand() {
    Result r = daemon.run("swarm", "join-token", "worker");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
        To add a worker to this swarm, run the following command:

            corral swarm join --token SWMTKN-1-abc-worker0 10.0.0.1:2377

        """);
    assertThat(daemon.requests(UpdateClusterRequest.class)).isEmpty();
  }

  @Test
  void managerPrintsTheManagerJoinCommand() {
    Result r = daemon.run("swarm", "join-token", "manager");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "To add a manager to this swarm, run the following command:",
            "",
            "    corral swarm join --token " + MANAGER_TOKEN + " " + ADDR,
            "");
  }

  @Test
  void quietPrintsOnlyTheToken() {
    Result worker = daemon.run("swarm", "join-token", "-q", "worker");
    Result manager = daemon.run("swarm", "join-token", "--quiet", "manager");

    assertThat(worker.exitCode()).isZero();
    assertThat(worker.out()).isEqualTo(WORKER_TOKEN + "\n");
    assertThat(manager.out()).isEqualTo(MANAGER_TOKEN + "\n");
    // The address is not needed, so the node is not asked for it.
    assertThat(daemon.methods()).containsExactly("ListClusters", "ListClusters");
  }

  @Test
  void rotateRotatesTheWorkerTokenAndPrintsTheNewOne() {
    Result r = daemon.run("swarm", "join-token", "--rotate", "worker");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(daemon.requests(UpdateClusterRequest.class))
        .containsExactly(
            UpdateClusterRequest.newBuilder()
                .setClusterId(CLUSTER_ID)
                .setClusterVersion(Version.newBuilder().setIndex(CLUSTER_VERSION))
                .setSpec(FakeDaemon.defaultCluster().getSpec())
                .setRotation(KeyRotation.newBuilder().setWorkerJoinToken(true))
                .build());
    String rotated = daemon.cluster().getRootCa().getJoinTokens().getWorker();
    assertThat(rotated).isNotEqualTo(WORKER_TOKEN);
    assertThat(daemon.cluster().getRootCa().getJoinTokens().getManager()).isEqualTo(MANAGER_TOKEN);
    assertThat(r.outLines())
        .containsExactly(
            "Successfully rotated worker join token.",
            "",
            "To add a worker to this swarm, run the following command:",
            "",
            "    corral swarm join --token " + rotated + " " + ADDR,
            "");
  }

  @Test
  void rotateQuietPrintsOnlyTheNewManagerToken() {
    Result r = daemon.run("swarm", "join-token", "--rotate", "-q", "manager");

    assertThat(r.exitCode()).isZero();
    assertThat(daemon.requests(UpdateClusterRequest.class)).hasSize(1);
    assertThat(daemon.requests(UpdateClusterRequest.class).get(0).getRotation())
        .isEqualTo(KeyRotation.newBuilder().setManagerJoinToken(true).build());
    String rotated = daemon.cluster().getRootCa().getJoinTokens().getManager();
    assertThat(rotated).isNotEqualTo(MANAGER_TOKEN);
    assertThat(r.out()).isEqualTo(rotated + "\n");
  }

  @Test
  void anUnknownRoleFailsWithoutAskingTheDaemon() {
    Result r = daemon.run("swarm", "join-token", "bogus");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("unknown role bogus\n");
    assertThat(daemon.calls()).isEmpty();
  }

  @Test
  void aRoleIsRequired() {
    Result r = daemon.run("swarm", "join-token");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required parameter");
    assertThat(daemon.calls()).isEmpty();
  }

  @Test
  void aWorkerNodesRefusalIsPrintedAsTheDaemonsError() {
    daemon.fail(
        "ListClusters",
        Status.FAILED_PRECONDITION.withDescription("This node is not a swarm manager."));

    Result r = daemon.run("swarm", "join-token", "worker");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo("Error response from daemon: This node is not a swarm manager.\n");
  }

  @Test
  void aFailedRotationPrintsNoSuccess() {
    daemon.fail("UpdateCluster", Status.UNKNOWN.withDescription("update out of sequence"));

    Result r = daemon.run("swarm", "join-token", "--rotate", "worker");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("Error response from daemon: update out of sequence\n");
  }

  @Test
  void noClusterObjectIsAnError() {
    daemon.cluster(null);

    Result r = daemon.run("swarm", "join-token", "worker");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("Error response from daemon: expected 1 cluster object, found 0\n");
  }
}
