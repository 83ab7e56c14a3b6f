package io.corral.cli;

import io.corral.cli.format.DaemonCall;
import io.corral.api.InfoRequest;
import io.corral.api.InfoResponse;
import io.corral.api.LocalSwarmGrpc;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code corral info}: the swarm part of {@code docker info}; exits 0 once the daemon answers. */
@Command(name = "info", description = "Display system-wide information.")
public final class InfoCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    return DaemonCall.run(ctx, spec.commandLine().getErr(), () -> {
      InfoResponse info = LocalSwarmGrpc.newBlockingStub(ctx.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
          .info(InfoRequest.getDefaultInstance());
      out.println("Server Version: " + VersionInfo.version());
      out.println("Swarm: " + info.getState().name().toLowerCase());
      if (info.getState() != InfoResponse.LocalState.INACTIVE) {
        out.println(" NodeID: " + info.getNodeId());
        out.println(" Is Manager: " + info.getManager());
        out.println(" ClusterID: " + info.getClusterId());
        out.println(" Node Address: " + info.getNodeAddr());
        out.println(" Manager Addresses:");
        info.getManagerAddrsList().forEach(a -> out.println("  " + a));
      }
      if (!info.getMessage().isEmpty()) {
        out.println(" Error: " + info.getMessage());
      }
      out.flush();
      return 0;
    });
  }
}
