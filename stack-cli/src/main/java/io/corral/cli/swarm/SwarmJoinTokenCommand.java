package io.corral.cli.swarm;

import io.corral.api.Cluster;
import io.corral.api.InfoRequest;
import io.corral.api.KeyRotation;
import io.corral.cli.CliContext;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral swarm join-token [-q] [--rotate] worker|manager}: shows or rotates a join token.
 */
@Command(name = "join-token", description = "Manage join tokens.")
public final class SwarmJoinTokenCommand extends CorralCommand {

  @Option(
      names = {"-q", "--quiet"},
      description = "Only display token.")
  boolean quiet;

  @Option(names = "--rotate", description = "Rotate join token.")
  boolean rotate;

  @Parameters(index = "0", paramLabel = "(worker|manager)", description = "Which token.")
  String role;

  @Override
  protected int run() {
    CliContext ctx = ctx();
    PrintWriter out = out();
    boolean worker =
        switch (role) {
          case "worker" -> true;
          case "manager" -> false;
          default -> throw new CliFailure("unknown role " + role);
        };
    Cluster cluster = ClusterCalls.current(ctx);
    if (rotate) {
      ClusterCalls.update(
          ctx,
          cluster,
          cluster.getSpec(),
          worker
              ? KeyRotation.newBuilder().setWorkerJoinToken(true).build()
              : KeyRotation.newBuilder().setManagerJoinToken(true).build());
      if (!quiet) {
        out.println("Successfully rotated " + role + " join token.");
        out.println();
      }
      cluster = ClusterCalls.current(ctx);
    }
    String token =
        worker
            ? cluster.getRootCa().getJoinTokens().getWorker()
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
    return 0;
  }
}
