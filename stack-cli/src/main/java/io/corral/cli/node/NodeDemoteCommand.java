package io.corral.cli.node;

import io.corral.api.NodeRole;
import io.corral.cli.CliContext;
import io.corral.cli.Main;
import io.corral.cli.format.DaemonCall;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code corral node demote NODE...}: sets the desired role of managers to worker. */
@Command(name = "demote", description = "Demote one or more nodes from manager in the swarm.")
public final class NodeDemoteCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, id prefix, hostname, or \"self\".")
  List<String> refs;

  @Override
  public Integer call() {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    return DaemonCall.run(ctx, spec.commandLine().getErr(),
        () -> new NodeUpdates(ctx).setRole(refs, NodeRole.WORKER, out,
            ref -> "Manager " + ref + " demoted in the swarm."));
  }
}
