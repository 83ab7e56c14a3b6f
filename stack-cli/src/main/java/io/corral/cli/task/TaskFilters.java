package io.corral.cli.task;

import io.corral.api.ListTasksRequest;
import io.corral.cli.CliContext;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.FilterArgs;
import java.util.Set;

/**
 * The {@code -f} filters of {@code service ps} and {@code node ps}, translated as docker's daemon
 * does.
 */
public final class TaskFilters {

  /** The filter keys docker accepts for tasks. */
  public static final Set<String> KEYS = Set.of("id", "name", "node", "desired-state", "label");

  private TaskFilters() {}

  /**
   * Server-side filters for {@code f}: names and ids match prefixes, nodes are resolved to ids
   * ({@code self}, hostname or id prefix), desired states are running|shutdown|accepted.
   */
  public static ListTasksRequest.Filters.Builder of(FilterArgs f, CliContext ctx) {
    ListTasksRequest.Filters.Builder b =
        ListTasksRequest.Filters.newBuilder()
            .addAllNamePrefixes(f.get("name"))
            .addAllIdPrefixes(f.get("id"))
            .putAllLabels(f.labels("label"));
    for (String node : f.get("node")) {
      b.addNodeIds(Lookup.node(ctx, node).getId());
    }
    for (String state : f.get("desired-state")) {
      b.addDesiredStates(TaskWords.desiredStateFilter(state));
    }
    return b;
  }
}
