package io.corral.daemon;

import io.corral.manager.tls.GrpcTls;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.PeerPolicy;
import io.corral.manager.tls.TlsMaterial;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/** Opens mutually authenticated channels from this node to a manager's cluster API. */
final class ClusterChannels {

  /**
   * A channel presenting this node's certificate and accepting only a manager of its own cluster.
   */
  ManagedChannel open(String addr, NodeIdentity identity) {
    TlsMaterial tls =
        TlsMaterial.of(
            identity,
            PeerPolicy.requireRole(io.corral.manager.tls.NodeRole.MANAGER)
                .and(PeerPolicy.requireCluster(identity.clusterId())));
    return NettyChannelBuilder.forTarget(addr)
        .sslContext(GrpcTls.clientContext(identity, tls.trustManager()))
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS)
        .build();
  }
}
