package io.corral.manager.bootstrap;

import com.google.protobuf.ByteString;
import io.corral.api.Annotations;
import io.corral.api.CAConfig;
import io.corral.api.Certificate;
import io.corral.api.Cluster;
import io.corral.api.ClusterSpec;
import io.corral.api.DispatcherConfig;
import io.corral.api.IssuanceStatus;
import io.corral.api.JoinTokens;
import io.corral.api.ManagerStatus;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.OrchestrationConfig;
import io.corral.api.RootCA;
import io.corral.common.ProtoTime;
import io.corral.manager.allocator.Cidr;
import io.corral.manager.allocator.SubnetPool;
import io.corral.manager.ca.JoinToken;
import io.corral.manager.store.Store;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.Pem;
import java.time.Duration;
import java.util.List;

/**
 * Writes the objects a new cluster starts with: the cluster (CA, tokens, settings) and its first
 * node.
 */
public final class ClusterBootstrap {

  /** Docker's defaults. */
  public static final Duration DEFAULT_CERT_EXPIRY = Duration.ofDays(90);

  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
  public static final long DEFAULT_TASK_HISTORY = 5;

  /**
   * What `swarm init` chose.
   *
   * @param certExpiry node certificate lifetime
   * @param heartbeat dispatcher heartbeat period
   * @param taskHistoryLimit terminated tasks kept per slot
   * @param availability the first node's availability
   * @param addressPool where overlay subnets are carved from
   */
  public record Settings(
      Duration certExpiry,
      Duration heartbeat,
      long taskHistoryLimit,
      NodeSpec.Availability availability,
      SubnetPool addressPool) {

    /** Settings with docker's default address pool (10.0.0.0/8 in /24s). */
    public Settings(
        Duration certExpiry,
        Duration heartbeat,
        long taskHistoryLimit,
        NodeSpec.Availability availability) {
      this(certExpiry, heartbeat, taskHistoryLimit, availability, SubnetPool.parse(List.of(), 0));
    }

    /**
     * These settings with the pool `swarm init --default-addr-pool CIDR
     * --default-addr-pool-mask-length N` asked for (empty and 0: docker's defaults).
     *
     * @throws IllegalArgumentException naming the flag at fault, e.g. "--default-addr-pool: invalid
     *     CIDR …"
     */
    public Settings withAddressPool(List<String> cidrs, int subnetSize) {
      return new Settings(
          certExpiry,
          heartbeat,
          taskHistoryLimit,
          availability,
          SubnetPool.parse(cidrs, subnetSize));
    }
  }

  private ClusterBootstrap() {}

  public static ClusterSpec spec(Settings s) {
    return ClusterSpec.newBuilder()
        .setAnnotations(Annotations.newBuilder().setName("default"))
        .setOrchestration(
            OrchestrationConfig.newBuilder().setTaskHistoryRetentionLimit(s.taskHistoryLimit()))
        .setDispatcher(
            DispatcherConfig.newBuilder()
                .setHeartbeatPeriod(ProtoTime.protoDuration(s.heartbeat())))
        .setCaConfig(
            CAConfig.newBuilder().setNodeCertExpiry(ProtoTime.protoDuration(s.certExpiry())))
        .build();
  }

  /**
   * Creates the cluster and the first manager node in one atomic write.
   *
   * @param ca the root CA (its key is kept in the store so that every manager can issue
   *     certificates)
   */
  public static void write(
      Store store,
      io.corral.manager.ca.RootCA ca,
      NodeIdentity self,
      NodeDescription description,
      String raftAddr,
      String apiAddr,
      String nodeIp,
      Settings settings) {
    String digest = ca.digest();
    Cluster cluster =
        Cluster.newBuilder()
            .setId(ca.clusterId())
            .setSpec(spec(settings))
            .addAllDefaultAddressPool(
                settings.addressPool().pools().stream().map(Cidr::toString).toList())
            .setSubnetSize(settings.addressPool().subnetSize())
            .setRootCa(
                RootCA.newBuilder()
                    .setCaCert(ByteString.copyFromUtf8(ca.certPem()))
                    .setCaKey(ByteString.copyFromUtf8(ca.keyPem()))
                    .setCaCertHash(digest)
                    .setJoinTokens(
                        JoinTokens.newBuilder()
                            .setWorker(JoinToken.generate(digest).toString())
                            .setManager(JoinToken.generate(digest).toString())))
            .build();
    Node node =
        Node.newBuilder()
            .setId(self.nodeId())
            .setSpec(
                NodeSpec.newBuilder()
                    .setDesiredRole(NodeRole.MANAGER)
                    .setMembership(NodeSpec.Membership.ACCEPTED)
                    .setAvailability(settings.availability()))
            .setRole(NodeRole.MANAGER)
            .setDescription(description)
            .setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.READY).setAddr(nodeIp))
            .setManagerStatus(
                ManagerStatus.newBuilder().setAddr(raftAddr).setApiAddr(apiAddr).setLeader(true))
            .setCertificate(
                Certificate.newBuilder()
                    .setRole(NodeRole.MANAGER)
                    .setCn(self.nodeId())
                    .setStatus(IssuanceStatus.newBuilder().setState(IssuanceStatus.State.ISSUED))
                    .setCertificate(ByteString.copyFromUtf8(Pem.certificate(self.certificate()))))
            .build();
    store.update(
        tx -> {
          tx.create(cluster);
          tx.create(node);
        });
  }
}
