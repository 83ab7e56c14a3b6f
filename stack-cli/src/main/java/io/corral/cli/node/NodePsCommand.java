package io.corral.cli.node;

import io.corral.api.ListTasksRequest;
import io.corral.api.Node;
import io.corral.api.Task;
import io.corral.cli.CliContext;
import io.corral.cli.Main;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.format.FilterArgs;
import io.corral.cli.task.TaskFilters;
import io.corral.cli.task.TaskListOptions;
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
 * {@code corral node ps [NODE...]}: the tasks on nodes (this node by default), as {@code docker node ps}. Nodes
 * that cannot be found are reported after the tasks of the others.
 */
@Command(name = "ps", description = "List tasks running on one or more nodes, defaults to current node.")
public final class NodePsCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  io.corral.cli.HelpOption help;

  @CommandLine.Mixin
  TaskListOptions display;

  @Option(names = {"-f", "--filter"}, paramLabel = "filter",
      description = "Filter output based on conditions provided (id, name, desired-state=running|shutdown|accepted).")
  List<String> filters = new ArrayList<>();

  @Parameters(arity = "0..*", paramLabel = "NODE", description = "Node id, id prefix, hostname, or \"self\" (default).")
  List<String> refs = new ArrayList<>();

  @Override
  public Integer call() {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    return DaemonCall.run(ctx, spec.commandLine().getErr(), () -> {
      FilterArgs f = FilterArgs.parse(filters).validate(TaskFilters.KEYS);
      NodeResolver resolver = new NodeResolver(ctx);
      List<String> errors = new ArrayList<>();
      List<Task> tasks = new ArrayList<>();
      for (String ref : refs.isEmpty() ? List.of(NodeResolver.SELF) : refs) {
        try {
          Node node = resolver.resolve(ref);
          ListTasksRequest.Filters.Builder filter = TaskFilters.of(f, resolver).addNodeIds(node.getId());
          tasks.addAll(DaemonCall.control(ctx).listTasks(ListTasksRequest.newBuilder().setFilters(filter).build())
              .getTasksList());
        } catch (CliFailure e) {
          errors.add(e.getMessage());
        } catch (StatusRuntimeException e) {
          errors.add(DaemonCall.message(ctx, e));
        }
      }
      if (errors.isEmpty() || !tasks.isEmpty()) {
        out.print(display.render(tasks, ctx));
      }
      out.flush();
      if (!errors.isEmpty()) {
        throw new CliFailure(String.join("\n", errors));
      }
      return 0;
    });
  }
}
