package io.corral.cli.swarm;

import static io.corral.cli.FakeDaemon.CLUSTER_ID;
import static io.corral.cli.FakeDaemon.CLUSTER_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.corral.api.ClusterSpec;
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

class SwarmUpdateCommandTest {

  static final ClusterSpec DEFAULT_SPEC = FakeDaemon.defaultCluster().getSpec();

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon =
        FakeDaemon.start(dir)
            .self("4kq8wz1x2c3v4b5n6m7l8k9j0", "10.0.0.1:2377")
            .cluster(FakeDaemon.defaultCluster());
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  private static Duration seconds(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  /**
   * The one update sent, after checking that it names the cluster and the version read and rotates
   * nothing.
   */
  private ClusterSpec sent() {
    assertThat(daemon.requests(UpdateClusterRequest.class)).hasSize(1);
    UpdateClusterRequest u = daemon.requests(UpdateClusterRequest.class).get(0);
    assertThat(u.getClusterId()).isEqualTo(CLUSTER_ID);
    assertThat(u.getClusterVersion())
        .isEqualTo(Version.newBuilder().setIndex(CLUSTER_VERSION).build());
    assertThat(u.getRotation()).isEqualTo(KeyRotation.getDefaultInstance());
    return u.getSpec();
  }

  @Test
  void sendsEveryChangedField() {
    Result r =
        daemon.run(
            "swarm",
            "update",
            "--task-history-limit",
            "10",
            "--dispatcher-heartbeat",
            "10s",
            "--cert-expiry",
            "720h");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("Swarm updated.\n");
    ClusterSpec.Builder expected = DEFAULT_SPEC.toBuilder();
    expected.getOrchestrationBuilder().setTaskHistoryRetentionLimit(10);
    expected.getDispatcherBuilder().setHeartbeatPeriod(seconds(10));
    expected.getCaConfigBuilder().setNodeCertExpiry(seconds(720 * 3600));
    assertThat(sent()).isEqualTo(expected.build());
    assertThat(daemon.cluster().getSpec()).isEqualTo(expected.build());
  }

  @Test
  void onlyTheGivenFieldChanges() {
    Result r = daemon.run("swarm", "update", "--task-history-limit", "0");

    assertThat(r.exitCode()).isZero();
    ClusterSpec.Builder expected = DEFAULT_SPEC.toBuilder();
    expected.getOrchestrationBuilder().setTaskHistoryRetentionLimit(0);
    assertThat(sent()).isEqualTo(expected.build());
  }

  @Test
  void goDurationsWithFractionsAndSeveralUnits() {
    Result r =
        daemon.run("swarm", "update", "--dispatcher-heartbeat", "1.5s", "--cert-expiry", "1h30m");

    assertThat(r.exitCode()).isZero();
    ClusterSpec spec = sent();
    assertThat(spec.getDispatcher().getHeartbeatPeriod())
        .isEqualTo(Duration.newBuilder().setSeconds(1).setNanos(500_000_000).build());
    assertThat(spec.getCaConfig().getNodeCertExpiry()).isEqualTo(seconds(5400));
    assertThat(spec.getOrchestration()).isEqualTo(DEFAULT_SPEC.getOrchestration());
  }

  @Test
  void anInvalidCertExpiryFailsAndSendsNothing() {
    Result r = daemon.run("swarm", "update", "--cert-expiry", "nonsense");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "invalid argument \"nonsense\" for \"--cert-expiry\" flag: time: invalid duration \"nonsense\"\n");
    assertThat(daemon.requests(UpdateClusterRequest.class)).isEmpty();
  }

  @Test
  void anInvalidHeartbeatFailsAndSendsNothing() {
    Result r =
        daemon.run("swarm", "update", "--task-history-limit", "3", "--dispatcher-heartbeat", "10");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "invalid argument \"10\" for \"--dispatcher-heartbeat\" flag: time: missing unit in duration \"10\"\n");
    assertThat(daemon.requests(UpdateClusterRequest.class)).isEmpty();
  }

  @Test
  void aNegativeDurationIsRefused() {
    Result r = daemon.run("swarm", "update", "--cert-expiry=-1h");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("invalid argument \"-1h\" for \"--cert-expiry\" flag: must not be negative\n");
    assertThat(daemon.requests(UpdateClusterRequest.class)).isEmpty();
  }

  @Test
  void flagValuesAreCheckedBeforeTheDaemonIsAsked() {
    // Like pflag in docker: a bad value is reported as such even where the daemon would refuse the
    // call.
    daemon.fail(
        "ListClusters",
        Status.FAILED_PRECONDITION.withDescription("This node is not a swarm manager."));

    Result r = daemon.run("swarm", "update", "--cert-expiry", "nonsense");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "invalid argument \"nonsense\" for \"--cert-expiry\" flag: time: invalid duration \"nonsense\"\n");
    assertThat(daemon.calls()).isEmpty();
  }

  @Test
  void noFlagsIsAnError() {
    Result r = daemon.run("swarm", "update");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "at least one of --cert-expiry, --dispatcher-heartbeat, --task-history-limit "
                + "must be given\n");
    assertThat(daemon.calls()).isEmpty();
  }

  @Test
  void aNonNumericHistoryLimitIsAUsageError() {
    Result r = daemon.run("swarm", "update", "--task-history-limit", "ten");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--task-history-limit").contains("ten");
    assertThat(daemon.calls()).isEmpty();
  }

  @Test
  void aDaemonErrorIsPrintedAsAnErrorResponse() {
    daemon.fail(
        "UpdateCluster",
        Status.INVALID_ARGUMENT.withDescription(
            "invalid cluster spec: heartbeat period must be at least 1s"));

    Result r = daemon.run("swarm", "update", "--dispatcher-heartbeat", "1ms");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "Error response from daemon: invalid cluster spec: heartbeat period must be at least 1s\n");
  }
}
