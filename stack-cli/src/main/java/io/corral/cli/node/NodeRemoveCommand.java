package io.corral.cli.node;

import io.corral.api.Node;
import io.corral.api.RemoveNodeRequest;
import io.corral.cli.CliContext;
import io.corral.cli.Main;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral node rm [-f] NODE...}: removes nodes from the swarm. Like docker it goes on after a failure and
 * reports every failure at the end.
 */
@Command(name = "rm", aliases = "remove", description = "Remove one or more nodes from the swarm.")
public final class NodeRemoveCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--force"}, description = "Force remove a node from the swarm.")
  boolean force;

  @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, id prefix, or hostname.")
  List<String> refs;

  @Override
  public Integer call() {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    return DaemonCall.run(ctx, spec.commandLine().getErr(), () -> {
      NodeResolver resolver = new NodeResolver(ctx);
      List<String> errors = new ArrayList<>();
      for (String ref : refs) {
        try {
          Node node = resolver.resolve(ref);
          DaemonCall.control(ctx).removeNode(RemoveNodeRequest.newBuilder()
              .setNodeId(node.getId()).setForce(force).build());
          out.println(ref);
        } catch (CliFailure e) {
          errors.add(e.getMessage());
        } catch (StatusRuntimeException e) {
          errors.add(DaemonCall.message(ctx, e));
        }
      }
      out.flush();
      if (!errors.isEmpty()) {
        throw new CliFailure(String.join("\n", errors));
      }
      return 0;
    });
  }
}
