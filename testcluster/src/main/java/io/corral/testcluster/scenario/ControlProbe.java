package io.corral.testcluster.scenario;

import io.corral.api.ControlGrpc;
import io.corral.api.ListNodesRequest;
import io.corral.manager.tls.GrpcTls;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.PeerPolicy;
import io.corral.manager.tls.TlsMaterial;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Calls the Control API of a manager with a node's own certificate, from inside that node's
 * namespace, and prints {@code OK <n> nodes} or {@code <STATUS CODE>: <description>}: how scenario
 * tests check that the cluster API authorises by the role in the certificate, not by who asks.
 * Usage: {@code ControlProbe IDENTITY_DIR MANAGER_HOST:PORT}.
 */
public final class ControlProbe {

  private ControlProbe() {}

  public static void main(String[] args) throws Exception {
    NodeIdentity identity = NodeIdentity.load(Path.of(args[0]));
    TlsMaterial tls = TlsMaterial.of(identity, PeerPolicy.requireCluster(identity.clusterId()));
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(args[1])
            .sslContext(GrpcTls.clientContext(identity, tls.trustManager()))
            .build();
    try {
      int n =
          ControlGrpc.newBlockingStub(channel)
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .listNodes(ListNodesRequest.getDefaultInstance())
              .getNodesCount();
      System.out.println("OK " + n + " nodes");
    } catch (StatusRuntimeException e) {
      System.out.println(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
    } finally {
      channel.shutdownNow();
    }
    System.exit(0);
  }
}
