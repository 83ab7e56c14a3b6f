package io.corral.cli.swarm;

import io.corral.api.Cluster;
import io.corral.api.ClusterSpec;
import io.corral.api.UpdateClusterRequest;
import io.corral.cli.CliContext;
import io.corral.cli.Main;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.format.GoDuration;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code corral swarm update}: changes the cluster-wide settings, like {@code docker swarm update}. */
@Command(name = "update", description = "Update the swarm.")
public final class SwarmUpdateCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--cert-expiry", description = "Validity period for node certificates (ns|us|ms|s|m|h).")
  String certExpiry;

  @Option(names = "--dispatcher-heartbeat", description = "Dispatcher heartbeat period (ns|us|ms|s|m|h).")
  String heartbeat;

  @Option(names = "--task-history-limit", description = "Task history retention limit.")
  Long taskHistoryLimit;

  @Override
  public Integer call() {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    return DaemonCall.run(ctx, spec.commandLine().getErr(), () -> {
      if (certExpiry == null && heartbeat == null && taskHistoryLimit == null) {
        throw new CliFailure("at least one of --cert-expiry, --dispatcher-heartbeat, --task-history-limit "
            + "must be given");
      }
      // Flag values are checked before the daemon is asked anything, as pflag does while parsing (otherwise a
      // bad value would be reported as whatever the daemon says, e.g. "not a swarm manager").
      Duration newCertExpiry = certExpiry == null ? null : GoDuration.parseFlag("--cert-expiry", certExpiry);
      Duration newHeartbeat = heartbeat == null ? null : GoDuration.parseFlag("--dispatcher-heartbeat", heartbeat);
      Cluster cluster = ClusterCalls.current(ctx);
      ClusterSpec.Builder s = cluster.getSpec().toBuilder();
      if (newCertExpiry != null) {
        s.getCaConfigBuilder().setNodeCertExpiry(GoDuration.toProto(newCertExpiry));
      }
      if (newHeartbeat != null) {
        s.getDispatcherBuilder().setHeartbeatPeriod(GoDuration.toProto(newHeartbeat));
      }
      if (taskHistoryLimit != null) {
        s.getOrchestrationBuilder().setTaskHistoryRetentionLimit(taskHistoryLimit);
      }
      DaemonCall.control(ctx).updateCluster(UpdateClusterRequest.newBuilder().setClusterId(cluster.getId())
          .setClusterVersion(io.corral.api.Version.newBuilder().setIndex(cluster.getMeta().getVersion())).setSpec(s).build());
      out.println("Swarm updated.");
      out.flush();
      return 0;
    });
  }
}
