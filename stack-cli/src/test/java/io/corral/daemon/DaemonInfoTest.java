package io.corral.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Cluster;
import io.corral.api.ClusterInfo;
import io.corral.api.Node;
import io.corral.api.NodeRole;
import io.corral.api.ServerVersion;
import io.corral.manager.bootstrap.ClusterBootstrap;
import io.corral.manager.store.RaftTuning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonInfoTest {

  @TempDir Path dir;

  private static Node node(String id, NodeRole role) {
    return Node.newBuilder().setId(id).setRole(role).build();
  }

  @Test
  void theSwarmPartCountsManagersAndNodesAndShowsTheSettingsInUse() {
    Cluster cluster =
        Cluster.newBuilder()
            .setId("c1")
            .setSpec(
                ClusterBootstrap.spec(
                    new ClusterBootstrap.Settings(
                        Duration.ofDays(30),
                        Duration.ofSeconds(2),
                        7,
                        io.corral.api.NodeSpec.Availability.ACTIVE)))
            .build();
    List<Node> nodes =
        List.of(
            node("m1", NodeRole.MANAGER),
            node("m2", NodeRole.MANAGER),
            node("w1", NodeRole.WORKER));

    ClusterInfo info = DaemonInfo.cluster(cluster, nodes, RaftTuning.defaults());

    assertThat(info.getManagers()).isEqualTo(2);
    assertThat(info.getNodes()).isEqualTo(3);
    assertThat(info.getTaskHistoryRetentionLimit()).isEqualTo(7);
    assertThat(info.getDispatcherHeartbeat().getSeconds()).isEqualTo(2);
    assertThat(info.getNodeCertExpiry().getSeconds()).isEqualTo(Duration.ofDays(30).toSeconds());
    // Ratis: snapshots every 10,000 entries, 2 files kept (1 besides the current), heartbeats every
    // 150 ms,
    // elections after 300 to 600 ms, i.e. 2 ticks.
    assertThat(info.getSnapshotInterval()).isEqualTo(10_000);
    assertThat(info.getKeepOldSnapshots()).isEqualTo(1);
    assertThat(info.getTick().getNanos()).isEqualTo(150_000_000);
    assertThat(info.getHeartbeatTick()).isEqualTo(1);
    assertThat(info.getElectionTick()).isEqualTo(2);
    assertThat(info.getDefaultAddressPoolList()).containsExactly("10.0.0.0/8");
    assertThat(info.getSubnetSize()).isEqualTo(24);
    assertThat(info.getDataPathPort()).isEqualTo(4789);
  }

  @Test
  void theServerVersionIsThisJvmsAndCorrals() {
    ServerVersion v = DaemonInfo.version();

    assertThat(v.getJavaVersion()).isEqualTo(System.getProperty("java.version"));
    assertThat(v.getApiVersion()).isEqualTo(io.corral.cli.VersionInfo.API_VERSION);
    assertThat(v.getOs()).isEqualTo("linux");
    assertThat(v.getKernelVersion()).isNotEmpty();
  }

  @Test
  void theOperatingSystemIsThePrettyNameOfOsRelease() throws Exception {
    Path osRelease =
        Files.writeString(
            dir.resolve("os-release"),
            "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n");

    assertThat(DaemonInfo.operatingSystem(osRelease)).isEqualTo("Debian GNU/Linux 12 (bookworm)");
    assertThat(DaemonInfo.operatingSystem(dir.resolve("missing")))
        .isEqualTo(System.getProperty("os.name"));
  }
}
