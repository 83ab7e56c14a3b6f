package io.corral.cli.swarm;

import io.corral.api.Cluster;
import io.corral.api.InfoRequest;
import io.corral.api.KeyRotation;
import io.corral.api.UpdateClusterRequest;
import io.corral.cli.CliContext;
import io.corral.cli.Main;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code corral swarm join-token [-q] [--rotate] worker|manager}: shows or rotates a join token. */
@Command(name = "join-token", description = "Manage join tokens.")
public final class SwarmJoinTokenCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-q", "--quiet"}, description = "Only display token.")
  boolean quiet;

  @Option(names = "--rotate", description = "Rotate join token.")
  boolean rotate;

  @Parameters(index = "0", paramLabel = "(worker|manager)", description = "Which token.")
  String role;

  @Override
  public Integer call() {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    return DaemonCall.run(ctx, spec.commandLine().getErr(), () -> {
      boolean worker = switch (role) {
        case "worker" -> true;
        case "manager" -> false;
        default -> throw new CliFailure("unknown role " + role);
      };
      Cluster cluster = ClusterCalls.current(ctx);
      if (rotate) {
        KeyRotation.Builder rotation = KeyRotation.newBuilder();
        if (worker) {
          rotation.setWorkerJoinToken(true);
        } else {
          rotation.setManagerJoinToken(true);
        }
        DaemonCall.control(ctx).updateCluster(UpdateClusterRequest.newBuilder().setClusterId(cluster.getId())
            .setClusterVersion(io.corral.api.Version.newBuilder().setIndex(cluster.getMeta().getVersion())).setSpec(cluster.getSpec())
            .setRotation(rotation).build());
        if (!quiet) {
          out.println("Successfully rotated " + role + " join token.");
          out.println();
        }
        cluster = ClusterCalls.current(ctx);
      }
      String token = worker ? cluster.getRootCa().getJoinTokens().getWorker()
          : cluster.getRootCa().getJoinTokens().getManager();
      if (quiet) {
        out.println(token);
      } else {
        String addr = DaemonCall.local(ctx).info(InfoRequest.getDefaultInstance()).getNodeAddr();
        out.println("To add a " + role + " to this swarm, run the following command:");
        out.println();
        out.println("    corral swarm join --token " + token + " " + addr);
        out.println();
      }
      out.flush();
      return 0;
    });
  }
}
