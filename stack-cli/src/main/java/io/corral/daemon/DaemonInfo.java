package io.corral.daemon;

import io.corral.api.Cluster;
import io.corral.api.ClusterInfo;
import io.corral.api.ClusterSpec;
import io.corral.api.InfoResponse;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.NodeRole;
import io.corral.api.ServerVersion;
import io.corral.cli.VersionInfo;
import io.corral.common.ProtoTime;
import io.corral.manager.ManagerNode;
import io.corral.manager.bootstrap.ClusterBootstrap;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.RaftTuning;
import io.corral.worker.agent.NodeDescriber;
import io.corral.worker.exec.docker.DockerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Server part of {@code corral info} and {@code corral version}: the daemon's software, its
 * machine, its executor and, on a manager, the swarm's counts and settings, as {@code docker info}
 * shows them.
 */
final class DaemonInfo {

  private static final Logger LOG = LoggerFactory.getLogger(DaemonInfo.class);
  private static final Path OS_RELEASE = Path.of("/etc/os-release");

  private DaemonInfo() {}

  /** The daemon's software and platform. */
  static ServerVersion version() {
    return ServerVersion.newBuilder()
        .setVersion(VersionInfo.version())
        .setApiVersion(VersionInfo.API_VERSION)
        .setJavaVersion(VersionInfo.javaVersion())
        .setJavaVm(VersionInfo.javaVm())
        .setOs(VersionInfo.os())
        .setArch(VersionInfo.arch())
        .setKernelVersion(System.getProperty("os.version"))
        .build();
  }

  /** {@code daemon}'s own state with everything else {@code corral info} shows. */
  static InfoResponse info(Daemon daemon) {
    DaemonConfig config = daemon.config();
    NodeDescription machine = NodeDescriber.describe(config.hostname(), VersionInfo.version());
    Optional<String> executor = daemon.executorName();
    InfoResponse.Builder b =
        daemon.info().toBuilder()
            .setServer(version().toBuilder().setArch(machine.getPlatform().getArchitecture()))
            .setOperatingSystem(operatingSystem(OS_RELEASE))
            .setCpus((int) (machine.getResources().getNanoCpus() / 1_000_000_000L))
            .setMemoryBytes(machine.getResources().getMemoryBytes())
            .setName(machine.getHostname())
            .setRootDir(config.dataDir().toString())
            .setExecutor(executor.orElse(config.executor()))
            .setExecutorSetting(config.executor());
    executor
        .map(
            name ->
                name.equals("docker")
                    ? "unix://" + DockerClient.DEFAULT_SOCKET
                    : config.imageRoot().toString())
        .ifPresent(b::setExecutorEndpoint);
    daemon.manager().flatMap(DaemonInfo::cluster).ifPresent(b::setCluster);
    return b.build();
  }

  /**
   * What the manager's store says of the swarm; empty while it cannot read it (e.g. still
   * starting).
   */
  private static Optional<ClusterInfo> cluster(ManagerNode manager) {
    try {
      var store = manager.store();
      return store.view(
          tx -> {
            List<Cluster> clusters = tx.list(ObjectKind.CLUSTER);
            return clusters.isEmpty()
                ? Optional.empty()
                : Optional.of(cluster(clusters.get(0), tx.list(ObjectKind.NODE), store.tuning()));
          });
    } catch (RuntimeException e) {
      // `info` is also the readiness probe of a starting daemon: it answers without the swarm part.
      LOG.debug("info: the store cannot be read yet: {}", e.toString());
      return Optional.empty();
    }
  }

  /**
   * The swarm part of {@code info} from the cluster object, the nodes and the Raft settings in use.
   */
  static ClusterInfo cluster(Cluster cluster, List<Node> nodes, RaftTuning raft) {
    ClusterSpec spec = cluster.getSpec();
    java.time.Duration tick = raft.heartbeatInterval();
    ClusterInfo.Builder b =
        ClusterInfo.newBuilder()
            .setManagers((int) nodes.stream().filter(n -> n.getRole() == NodeRole.MANAGER).count())
            .setNodes(nodes.size())
            .setTaskHistoryRetentionLimit(
                spec.hasOrchestration()
                    ? spec.getOrchestration().getTaskHistoryRetentionLimit()
                    : ClusterBootstrap.DEFAULT_TASK_HISTORY)
            .setSnapshotInterval(raft.snapshotThreshold())
            // Ratis keeps this many snapshot files, the current one included.
            .setKeepOldSnapshots(Math.max(0, raft.snapshotsRetained() - 1))
            .setTick(ProtoTime.protoDuration(tick))
            .setHeartbeatTick(1)
            .setElectionTick(
                (int)
                    Math.max(1, raft.electionTimeoutMin().toNanos() / Math.max(1, tick.toNanos())))
            .setDispatcherHeartbeat(
                spec.getDispatcher().hasHeartbeatPeriod()
                    ? spec.getDispatcher().getHeartbeatPeriod()
                    : ProtoTime.protoDuration(ClusterBootstrap.DEFAULT_HEARTBEAT))
            .setNodeCertExpiry(
                spec.getCaConfig().hasNodeCertExpiry()
                    ? spec.getCaConfig().getNodeCertExpiry()
                    : ProtoTime.protoDuration(ClusterBootstrap.DEFAULT_CERT_EXPIRY))
            .setForceRotate(spec.getCaConfig().getForceRotate())
            .setAutolockManagers(spec.getEncryptionConfig().getAutoLockManagers())
            .setRootRotationInProgress(cluster.getRootCa().hasRootRotation())
            .setSubnetSize(cluster.getSubnetSize() == 0 ? 24 : cluster.getSubnetSize())
            .setDataPathPort(cluster.getVxlanUdpPort() == 0 ? 4789 : cluster.getVxlanUdpPort());
    if (cluster.getDefaultAddressPoolCount() == 0) {
      b.addDefaultAddressPool("10.0.0.0/8");
    } else {
      b.addAllDefaultAddressPool(cluster.getDefaultAddressPoolList());
    }
    return b.build();
  }

  /** PRETTY_NAME of an os-release file, or the JVM's OS name when there is none. */
  static String operatingSystem(Path osRelease) {
    try {
      for (String line : Files.readAllLines(osRelease)) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replaceAll("^\"|\"$", "");
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or a minimal image without os-release
    }
    return System.getProperty("os.name");
  }
}
