package io.corral.cli.task;

import io.corral.api.ListTasksRequest;
import io.corral.api.Task;
import io.corral.cli.CliContext;
import io.corral.cli.command.ListOptions;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options `service ps` and `node ps` share (as docker's: those of every list, plus how names
 * are shown), as a picocli mixin that filters and renders tasks.
 */
public final class TaskListOptions {

  @Mixin ListOptions list;

  @Option(names = "--no-trunc", description = "Do not truncate output.")
  boolean noTrunc;

  @Option(names = "--no-resolve", description = "Do not map IDs to Names.")
  boolean noResolve;

  /**
   * The server-side task filters {@code -f} asks for (checked first: a bad key fails before
   * anything is read).
   */
  public ListTasksRequest.Filters.Builder filter(CliContext ctx) {
    return TaskFilters.of(list.filters(TaskFilters.KEYS), ctx);
  }

  /** The tasks as the options ask, at the context's current time. */
  public String render(List<Task> tasks, CliContext ctx) {
    return TaskPrinter.render(
        tasks,
        new IdResolver(ctx, noResolve),
        new TaskPrinter.Options(!noTrunc, list.quiet(), list.format()),
        ctx.clock().instant());
  }
}
