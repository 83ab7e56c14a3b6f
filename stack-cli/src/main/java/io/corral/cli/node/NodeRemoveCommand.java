package io.corral.cli.node;

import io.corral.api.RemoveNodeRequest;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.EachRef;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.DaemonCall;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral node rm [-f] NODE...}: removes nodes from the swarm. Like docker it goes on after a
 * failure and reports every failure at the end.
 */
@Command(name = "rm", aliases = "remove", description = "Remove one or more nodes from the swarm.")
public final class NodeRemoveCommand extends CorralCommand {

  @Option(
      names = {"-f", "--force"},
      description = "Force remove a node from the swarm.")
  boolean force;

  @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, id prefix, or hostname.")
  List<String> refs;

  @Override
  protected int run() throws Exception {
    EachRef.apply(
            ctx(),
            refs,
            ref -> {
              String id = Lookup.node(ctx(), ref).getId();
              DaemonCall.control(ctx())
                  .removeNode(RemoveNodeRequest.newBuilder().setNodeId(id).setForce(force).build());
              out().println(ref);
              return null;
            })
        .failIfAny();
    return 0;
  }
}
