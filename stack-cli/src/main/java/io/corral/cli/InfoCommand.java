package io.corral.cli;

import io.corral.api.ClusterInfo;
import io.corral.api.InfoRequest;
import io.corral.api.InfoResponse;
import io.corral.api.LocalSwarmGrpc;
import io.corral.cli.format.ByteSize;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.format.GoDuration;
import io.corral.cli.format.HumanDuration;
import io.corral.common.ProtoTime;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code corral info} in {@code docker info}'s layout (Client, Server, Swarm); exits 0 once the
 * daemon answers.
 */
@Command(name = "info", description = "Display system-wide information.")
public final class InfoCommand implements Callable<Integer> {

  /**
   * The kinds of executor a daemon can run tasks with ({@code --executor}), like docker's runtimes.
   */
  static final String EXECUTORS = "docker process";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Client:");
    out.println(" Version:    " + VersionInfo.version());
    out.println(" Socket:     unix://" + ctx.socketPath());
    out.println();
    out.println("Server:");
    out.flush();
    return DaemonCall.run(
        ctx,
        spec.commandLine().getErr(),
        () -> {
          InfoResponse info =
              LocalSwarmGrpc.newBlockingStub(ctx.channel())
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .info(InfoRequest.getDefaultInstance());
          print(out, info);
          out.flush();
          return 0;
        });
  }

  /** The Server part, in docker's order, with Corral's executor where docker has its runtimes. */
  static void print(PrintWriter out, InfoResponse info) {
    nonEmpty(out, " Server Version:", info.getServer().getVersion());
    out.println(" Swarm: " + info.getState().name().toLowerCase());
    swarm(out, info);
    out.println(" Executors: " + EXECUTORS);
    nonEmpty(out, " Default Executor:", info.getExecutorSetting());
    nonEmpty(out, " Executor:", info.getExecutor());
    if (!info.getExecutorEndpoint().isEmpty()) {
      out.println(
          (info.getExecutor().equals("docker") ? "  Docker Socket: " : "  Image Root: ")
              + info.getExecutorEndpoint());
    }
    nonEmpty(out, " Kernel Version:", info.getServer().getKernelVersion());
    nonEmpty(out, " Operating System:", info.getOperatingSystem());
    nonEmpty(out, " OSType:", info.getServer().getOs());
    nonEmpty(out, " Architecture:", info.getServer().getArch());
    if (info.getCpus() > 0) {
      out.println(" CPUs: " + info.getCpus());
    }
    if (info.getMemoryBytes() > 0) {
      out.println(" Total Memory: " + ByteSize.binary(info.getMemoryBytes()));
    }
    nonEmpty(out, " Name:", info.getName());
    nonEmpty(out, " Corral Root Dir:", info.getRootDir());
    nonEmpty(out, " Java Version:", info.getServer().getJavaVersion());
    out.println();
  }

  /**
   * docker's printSwarmInfo: the cluster's counts and settings only on a manager that could read
   * them.
   */
  private static void swarm(PrintWriter out, InfoResponse info) {
    if (info.getState() == InfoResponse.LocalState.INACTIVE) {
      nonEmpty(out, "  Error:", info.getMessage());
      return;
    }
    out.println("  NodeID: " + info.getNodeId());
    nonEmpty(out, "  Error:", info.getMessage());
    out.println("  Is Manager: " + info.getManager());
    if (info.getManager()
        && info.getMessage().isEmpty()
        && info.getState() != InfoResponse.LocalState.ERROR) {
      // The node state has the cluster id; the rest needs the store, which a starting manager may
      // not read yet.
      out.println("  ClusterID: " + info.getClusterId());
    }
    if (info.getManager()
        && info.hasCluster()
        && info.getMessage().isEmpty()
        && info.getState() != InfoResponse.LocalState.ERROR) {
      ClusterInfo c = info.getCluster();
      out.println("  Managers: " + c.getManagers());
      out.println("  Nodes: " + c.getNodes());
      if (c.getDefaultAddressPoolCount() > 0) {
        out.println("  Default Address Pool: " + String.join(" ", c.getDefaultAddressPoolList()));
        out.println("  SubnetSize: " + c.getSubnetSize());
      }
      if (c.getDataPathPort() > 0) {
        out.println("  Data Path Port: " + c.getDataPathPort());
      }
      out.println("  Orchestration:");
      out.println("   Task History Retention Limit: " + c.getTaskHistoryRetentionLimit());
      out.println("  Raft:");
      out.println("   Snapshot Interval: " + c.getSnapshotInterval());
      out.println("   Number of Old Snapshots to Retain: " + c.getKeepOldSnapshots());
      out.println("   Heartbeat Tick: " + c.getHeartbeatTick());
      out.println("   Election Tick: " + c.getElectionTick());
      // Ratis is configured in time, not ticks: say how long one tick is (docker's is one second).
      out.println("   Tick: " + GoDuration.format(ProtoTime.duration(c.getTick())));
      out.println("  Dispatcher:");
      out.println(
          "   Heartbeat Period: "
              + HumanDuration.of(ProtoTime.duration(c.getDispatcherHeartbeat())));
      out.println("  CA Configuration:");
      out.println(
          "   Expiry Duration: " + HumanDuration.of(ProtoTime.duration(c.getNodeCertExpiry())));
      out.println("   Force Rotate: " + c.getForceRotate());
      out.println("  Autolock Managers: " + c.getAutolockManagers());
      out.println("  Root Rotation In Progress: " + c.getRootRotationInProgress());
    }
    out.println("  Node Address: " + info.getNodeAddr());
    if (info.getManagerAddrsCount() > 0) {
      out.println("  Manager Addresses:");
      info.getManagerAddrsList().stream().sorted().forEach(a -> out.println("   " + a));
    }
  }

  private static void nonEmpty(PrintWriter out, String label, String value) {
    if (!value.isEmpty()) {
      out.println(label + " " + value);
    }
  }
}
