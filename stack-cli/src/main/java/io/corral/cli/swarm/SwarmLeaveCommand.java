package io.corral.cli.swarm;

import io.corral.api.LeaveRequest;
import io.corral.api.LocalSwarmGrpc;
import io.corral.cli.CliContext;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.Main;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code corral swarm leave [--force]}: this node leaves its cluster and forgets its identity. */
@Command(name = "leave", description = "Leave the swarm.")
public final class SwarmLeaveCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--force"}, description = "Force this node to leave the swarm, ignoring warnings.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    return DaemonCall.run(ctx, spec.commandLine().getErr(), () -> {
      LocalSwarmGrpc.newBlockingStub(ctx.channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
          .leave(LeaveRequest.newBuilder().setForce(force).build());
      out.println("Node left the swarm.");
      out.flush();
      return 0;
    });
  }
}
