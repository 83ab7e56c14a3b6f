package io.corral.cli.task;

import io.corral.api.Task;
import io.corral.cli.format.ListFormat;
import io.corral.cli.format.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Docker's {@code task.Print}, shared by {@code service ps} and {@code node ps}: tasks named {@code
 * service.slot} (or {@code service.nodeid} for global services), grouped by name with the newest
 * first, and the older tasks of a slot shown as {@code " \_ web.1"} history rows.
 */
public final class TaskPrinter {

  private TaskPrinter() {}

  /** What to print and how. */
  public record Options(boolean trunc, boolean quiet, String format) {}

  /**
   * The output for {@code tasks}, every line ended by a newline (nothing at all for no tasks in
   * quiet mode).
   */
  public static String render(List<Task> tasks, IdResolver names, Options options, Instant now) {
    ListFormat format = ListFormat.of(options.format());
    List<Named> named = new ArrayList<>();
    for (Task t : tasks) {
      String service = names.service(t.getServiceId());
      named.add(
          new Named(
              t, service + "." + (t.getSlot() != 0 ? Long.toString(t.getSlot()) : t.getNodeId())));
    }
    // docker's order: names in natural order (web.2 before web.10), then newest first within a
    // slot.
    named.sort(
        Comparator.comparing(Named::name, io.corral.cli.format.NaturalOrder.INSTANCE)
            .thenComparing(
                (Named n) -> n.task().getMeta().getCreatedAt().getSeconds(),
                Comparator.reverseOrder())
            .thenComparing(
                (Named n) -> n.task().getMeta().getCreatedAt().getNanos(),
                Comparator.reverseOrder()));
    if (options.quiet() && format.isDefaultTable()) {
      StringBuilder out = new StringBuilder();
      named.forEach(
          n ->
              out.append(
                      options.trunc()
                          ? io.corral.cli.format.Ellipsis.id(n.task().getId())
                          : n.task().getId())
                  .append('\n'));
      return out.toString();
    }
    boolean table = format.isDefaultTable() || options.format().startsWith("table");
    List<TaskRow> rows = new ArrayList<>();
    String previous = "";
    for (Named n : named) {
      String display = table && n.name().equals(previous) ? " \\_ " + n.name() : n.name();
      previous = n.name();
      rows.add(
          TaskRow.of(n.task(), display, names.node(n.task().getNodeId()), options.trunc(), now));
    }
    if (!format.isDefaultTable()) {
      return format.render(rows.stream().map(TaskRow::fields).toList(), TaskRow.HEADERS);
    }
    Table t =
        new Table()
            .row("ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR", "PORTS");
    rows.forEach(
        r ->
            t.row(
                r.id(),
                r.name(),
                r.image(),
                r.node(),
                r.desiredState(),
                r.currentState(),
                r.error(),
                r.ports()));
    return t.render();
  }

  private record Named(Task task, String name) {}
}
