package io.corral.cli.swarm;

import io.corral.api.Cluster;
import io.corral.api.ClusterSpec;
import io.corral.api.KeyRotation;
import io.corral.api.ListClustersRequest;
import io.corral.api.UpdateClusterRequest;
import io.corral.api.Version;
import io.corral.cli.CliContext;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import java.util.List;

/**
 * Reads and writes the one cluster object a swarm has, as `swarm join-token` and `swarm update`
 * need it.
 */
final class ClusterCalls {

  private ClusterCalls() {}

  static Cluster current(CliContext ctx) {
    List<Cluster> clusters =
        DaemonCall.control(ctx)
            .listClusters(ListClustersRequest.getDefaultInstance())
            .getClustersList();
    if (clusters.size() != 1) {
      throw new CliFailure(
          "Error response from daemon: expected 1 cluster object, found " + clusters.size());
    }
    return clusters.get(0);
  }

  /**
   * Sends {@code spec} (and the keys to rotate, if any) with the version of {@code cluster} as
   * read.
   */
  static void update(CliContext ctx, Cluster cluster, ClusterSpec spec, KeyRotation rotation) {
    UpdateClusterRequest.Builder request =
        UpdateClusterRequest.newBuilder()
            .setClusterId(cluster.getId())
            .setClusterVersion(Version.newBuilder().setIndex(cluster.getMeta().getVersion()))
            .setSpec(spec);
    if (!rotation.equals(KeyRotation.getDefaultInstance())) {
      request.setRotation(rotation);
    }
    DaemonCall.control(ctx).updateCluster(request.build());
  }
}
