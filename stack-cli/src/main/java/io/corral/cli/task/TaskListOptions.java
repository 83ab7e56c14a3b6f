package io.corral.cli.task;

import io.corral.api.ListTasksRequest;
import io.corral.api.Task;
import io.corral.cli.CliContext;
import io.corral.cli.format.FilterArgs;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options `service ps` and `node ps` share (as docker's), as a picocli mixin that filters and renders tasks. */
public final class TaskListOptions {

  @Option(names = {"-q", "--quiet"}, description = "Only display task IDs.")
  boolean quiet;

  @Option(names = "--no-trunc", description = "Do not truncate output.")
  boolean noTrunc;

  @Option(names = "--no-resolve", description = "Do not map IDs to Names.")
  boolean noResolve;

  @Option(names = "--format", description = "Pretty-print tasks using a template ('table', 'json', or e.g. "
      + "'{{.Name}} {{.CurrentState}}').")
  String format;

  @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions "
      + "provided (id, name, node, label, desired-state=running|shutdown|accepted).")
  List<String> filters = new ArrayList<>();

  /** The server-side task filters {@code -f} asks for (checked first: a bad key fails before anything is read). */
  public ListTasksRequest.Filters.Builder filter(CliContext ctx) {
    return TaskFilters.of(FilterArgs.parse(filters).validate(TaskFilters.KEYS), ctx);
  }

  /** The tasks as the options ask, at the context's current time. */
  public String render(List<Task> tasks, CliContext ctx) {
    return TaskPrinter.render(tasks, new IdResolver(ctx, noResolve), new TaskPrinter.Options(!noTrunc, quiet, format),
        ctx.clock().instant());
  }
}
