package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.corral.api.ClusterInfo;
import io.corral.api.InfoResponse;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoCommandTest {

  static final ClusterInfo CLUSTER =
      ClusterInfo.newBuilder()
          .setManagers(3)
          .setNodes(5)
          .setTaskHistoryRetentionLimit(5)
          .setSnapshotInterval(10_000)
          .setKeepOldSnapshots(1)
          .setTick(Duration.newBuilder().setNanos(150_000_000))
          .setHeartbeatTick(1)
          .setElectionTick(2)
          .setDispatcherHeartbeat(Duration.newBuilder().setSeconds(5))
          .setNodeCertExpiry(Duration.newBuilder().setSeconds(90L * 24 * 3600))
          .addDefaultAddressPool("10.0.0.0/8")
          .setSubnetSize(24)
          .setDataPathPort(4789)
          .build();

  static final InfoResponse MANAGER =
      InfoResponse.newBuilder()
          .setState(InfoResponse.LocalState.ACTIVE)
          .setNodeId("node1")
          .setClusterId("cluster1")
          .setManager(true)
          .addManagerAddrs("10.77.0.2:2377")
          .addManagerAddrs("10.77.0.1:2377")
          .setNodeAddr("10.77.0.1:2377")
          .setServer(FakeDaemon.SERVER_VERSION)
          .setOperatingSystem("Debian GNU/Linux 12 (bookworm)")
          .setCpus(2)
          .setMemoryBytes(2_097_152_000L)
          .setName("m1")
          .setRootDir("/var/lib/corral")
          .setExecutor("process")
          .setExecutorSetting("auto")
          .setExecutorEndpoint("/var/lib/corral/images")
          .setCluster(CLUSTER)
          .build();

  /** The socket the CLI names (FakeDaemon connects it elsewhere). */
  static String socket() {
    return System.getenv().getOrDefault("CORRAL_SOCKET", DaemonChannels.DEFAULT_SOCKET);
  }

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon = FakeDaemon.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void aManagerShowsTheClientTheServerAndTheSwarmLikeDockerInfo() {
    Result r = daemon.info(MANAGER).run("info");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
        Client:
         Version:    %s
         Socket:     unix://%s

        Server:
         Server Version: 0.9.0
         Swarm: active
          NodeID: node1
          Is Manager: true
          ClusterID: cluster1
          Managers: 3
          Nodes: 5
          Default Address Pool: 10.0.0.0/8
          SubnetSize: 24
          Data Path Port: 4789
          Orchestration:
           Task History Retention Limit: 5
          Raft:
           Snapshot Interval: 10000
           Number of Old Snapshots to Retain: 1
           Heartbeat Tick: 1
           Election Tick: 2
           Tick: 150ms
          Dispatcher:
           Heartbeat Period: 5 seconds
          CA Configuration:
           Expiry Duration: 3 months
           Force Rotate: 0
          Autolock Managers: false
          Root Rotation In Progress: false
          Node Address: 10.77.0.1:2377
          Manager Addresses:
           10.77.0.1:2377
           10.77.0.2:2377
         Executors: docker process
         Default Executor: auto
         Executor: process
          Image Root: /var/lib/corral/images
         Kernel Version: 6.1.0-28-amd64
         Operating System: Debian GNU/Linux 12 (bookworm)
         OSType: linux
         Architecture: x86_64
         CPUs: 2
         Total Memory: 1.953GiB
         Name: m1
         Corral Root Dir: /var/lib/corral
         Java Version: 17.0.15

        """
                .formatted(VersionInfo.version(), socket()));
  }

  @Test
  void aWorkerShowsNoClusterSettingsAndItsDockerExecutorsSocket() {
    Result r =
        daemon
            .info(
                MANAGER.toBuilder()
                    .setManager(false)
                    .clearCluster()
                    .setExecutor("docker")
                    .setExecutorEndpoint("unix:///var/run/docker.sock")
                    .build())
            .run("info");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("  Is Manager: false\n  Node Address: 10.77.0.1:2377\n")
        .contains(" Executor: docker\n  Docker Socket: unix:///var/run/docker.sock\n")
        .doesNotContain("ClusterID", "Managers:", "Raft:");
  }

  @Test
  void aManagerThatCannotReadItsStoreYetShowsItsClusterIdOnly() {
    Result r = daemon.info(MANAGER.toBuilder().clearCluster().build()).run("info");

    assertThat(r.out())
        .contains("  Is Manager: true\n  ClusterID: cluster1\n  Node Address: 10.77.0.1:2377\n");
  }

  @Test
  void outsideASwarmTheSwarmIsInactiveAndTheExecutorIsTheSetting() {
    Result r =
        daemon
            .info(
                InfoResponse.newBuilder()
                    .setState(InfoResponse.LocalState.INACTIVE)
                    .setServer(FakeDaemon.SERVER_VERSION)
                    .setExecutor("auto")
                    .setExecutorSetting("auto")
                    .build())
            .run("info");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains(
            " Swarm: inactive\n Executors: docker process\n Default Executor: auto\n"
                + " Executor: auto\n Kernel Version:")
        .doesNotContain("NodeID");
  }

  @Test
  void aRefusedNodeShowsWhyUnderItsNodeId() {
    Result r =
        daemon
            .info(
                MANAGER.toBuilder()
                    .setState(InfoResponse.LocalState.PENDING)
                    .setManager(false)
                    .setMessage("node removed from the swarm")
                    .build())
            .run("info");

    assertThat(r.out())
        .contains(
            " Swarm: pending\n  NodeID: node1\n  Error: node removed from the swarm\n"
                + "  Is Manager: false\n");
  }

  @Test
  void withoutADaemonTheClientPartIsPrintedAndTheCommandFails() throws Exception {
    daemon.close();

    Result r = daemon.run("info", "--socket", daemon.socket().toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).startsWith("Client:\n").endsWith("\nServer:\n");
    assertThat(r.err())
        .isEqualTo(
            "Cannot connect to the Corral daemon at unix://"
                + daemon.socket()
                + ". Is the corral daemon running?\n");
  }
}
