package io.corral.cli.command;

import io.corral.cli.format.FilterArgs;
import io.corral.cli.format.ListFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The options every {@code KIND ls} shares with docker's ({@code -q}, {@code --format}, {@code
 * -f}), as a mixin.
 */
public final class ListOptions {

  @Option(
      names = {"-q", "--quiet"},
      description = "Only display IDs.")
  boolean quiet;

  @Option(
      names = "--format",
      description =
          "Format output using a template: 'table', 'table TEMPLATE', 'json', "
              + "or a template such as '{{.ID}}'.")
  String format;

  @Option(
      names = {"-f", "--filter"},
      paramLabel = "filter",
      description = "Filter output based on conditions " + "provided (KEY=VALUE).")
  List<String> filters = new ArrayList<>();

  /**
   * The {@code -f} filters, refused (as docker's daemon does) when a key is not one of {@code
   * keys}.
   */
  public FilterArgs filters(Set<String> keys) {
    return FilterArgs.parse(filters).validate(keys);
  }

  /** What {@code --format} says (null or empty for the command's own table). */
  public String format() {
    return format;
  }

  /**
   * Whether only ids are printed ({@code -q} with the default table; docker ignores -q with a
   * format).
   */
  public boolean quiet() {
    return quiet && ListFormat.of(format).isDefaultTable();
  }

  /**
   * The rows as asked: the command's own {@code table}, or {@code --format}'s template or json over
   * their fields.
   */
  public <R> String render(
      List<R> rows,
      Function<List<R>, String> table,
      Function<R, Map<String, Object>> fields,
      Map<String, String> headers) {
    ListFormat listFormat = ListFormat.of(format);
    return listFormat.isDefaultTable()
        ? table.apply(rows)
        : listFormat.render(rows.stream().map(fields).toList(), headers);
  }
}
