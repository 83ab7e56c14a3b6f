package io.corral.cli.swarm;

import io.corral.api.Cluster;
import io.corral.api.ClusterSpec;
import io.corral.api.KeyRotation;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.GoDuration;
import io.corral.common.ProtoTime;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral swarm update}: changes the cluster-wide settings, like {@code docker swarm update}.
 */
@Command(name = "update", description = "Update the swarm.")
public final class SwarmUpdateCommand extends CorralCommand {

  @Option(
      names = "--cert-expiry",
      description = "Validity period for node certificates (ns|us|ms|s|m|h).")
  String certExpiry;

  @Option(
      names = "--dispatcher-heartbeat",
      description = "Dispatcher heartbeat period (ns|us|ms|s|m|h).")
  String heartbeat;

  @Option(names = "--task-history-limit", description = "Task history retention limit.")
  Long taskHistoryLimit;

  @Override
  protected int run() {
    if (certExpiry == null && heartbeat == null && taskHistoryLimit == null) {
      throw new CliFailure(
          "at least one of --cert-expiry, --dispatcher-heartbeat, --task-history-limit "
              + "must be given");
    }
    // Flag values are checked before the daemon is asked anything, as pflag does while parsing
    // (otherwise a
    // bad value would be reported as whatever the daemon says, e.g. "not a swarm manager").
    Duration newCertExpiry =
        certExpiry == null ? null : GoDuration.parseFlag("--cert-expiry", certExpiry);
    Duration newHeartbeat =
        heartbeat == null ? null : GoDuration.parseFlag("--dispatcher-heartbeat", heartbeat);
    Cluster cluster = ClusterCalls.current(ctx());
    ClusterSpec.Builder s = cluster.getSpec().toBuilder();
    if (newCertExpiry != null) {
      s.getCaConfigBuilder().setNodeCertExpiry(ProtoTime.protoDuration(newCertExpiry));
    }
    if (newHeartbeat != null) {
      s.getDispatcherBuilder().setHeartbeatPeriod(ProtoTime.protoDuration(newHeartbeat));
    }
    if (taskHistoryLimit != null) {
      s.getOrchestrationBuilder().setTaskHistoryRetentionLimit(taskHistoryLimit);
    }
    ClusterCalls.update(ctx(), cluster, s.build(), KeyRotation.getDefaultInstance());
    out().println("Swarm updated.");
    return 0;
  }
}
