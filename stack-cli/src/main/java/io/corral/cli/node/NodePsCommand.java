package io.corral.cli.node;

import io.corral.api.ListTasksRequest;
import io.corral.api.Task;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.EachRef;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.task.TaskListOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code corral node ps [NODE...]}: the tasks on nodes (this node by default), as {@code docker
 * node ps}. Nodes that cannot be found are reported after the tasks of the others.
 */
@Command(
    name = "ps",
    description = "List tasks running on one or more nodes, defaults to current node.")
public final class NodePsCommand extends CorralCommand {

  @Mixin TaskListOptions display;

  @Parameters(
      arity = "0..*",
      paramLabel = "NODE",
      description = "Node id, id prefix, hostname, or \"self\" (default).")
  List<String> refs = new ArrayList<>();

  @Override
  protected int run() throws Exception {
    ListTasksRequest.Filters filter = display.filter(ctx()).build();
    EachRef.Outcome<List<Task>> found =
        EachRef.apply(
            ctx(),
            refs.isEmpty() ? List.of(Lookup.SELF) : refs,
            ref ->
                DaemonCall.control(ctx())
                    .listTasks(
                        ListTasksRequest.newBuilder()
                            .setFilters(
                                filter.toBuilder().addNodeIds(Lookup.node(ctx(), ref).getId()))
                            .build())
                    .getTasksList());
    List<Task> tasks = found.results().stream().flatMap(List::stream).toList();
    if (found.errors().isEmpty() || !tasks.isEmpty()) {
      out().print(display.render(tasks, ctx()));
    }
    found.failIfAny();
    return 0;
  }
}
