package io.corral.cli.swarm;

import io.corral.api.Cluster;
import io.corral.api.ListClustersRequest;
import io.corral.cli.CliContext;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import java.util.List;

/** Reads the one cluster object a swarm has, as `swarm join-token` and `swarm update` need it. */
final class ClusterCalls {

  private ClusterCalls() {}

  static Cluster current(CliContext ctx) {
    List<Cluster> clusters = DaemonCall.control(ctx).listClusters(ListClustersRequest.getDefaultInstance())
        .getClustersList();
    if (clusters.size() != 1) {
      throw new CliFailure("Error response from daemon: expected 1 cluster object, found " + clusters.size());
    }
    return clusters.get(0);
  }
}
