package io.corral.cli.task;

import io.corral.api.Task;
import io.corral.cli.CliContext;
import java.util.List;
import picocli.CommandLine.Option;

/** The display options `service ps` and `node ps` share (as docker's), as a picocli mixin that renders tasks. */
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

  /** The tasks as the options ask, at the context's current time. */
  public String render(List<Task> tasks, CliContext ctx) {
    return TaskPrinter.render(tasks, new IdResolver(ctx, noResolve), new TaskPrinter.Options(!noTrunc, quiet, format),
        ctx.clock().instant());
  }
}
