package io.corral.cli.format;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a list command's {@code --format} asks for: the command's default table, {@code json} (one
 * object per line, keys sorted as docker's {@code {{json .}}}), or a template, optionally prefixed
 * by {@code table} to get a header line and aligned columns.
 */
public final class ListFormat {

  private final String format;

  private ListFormat(String format) {
    this.format = format;
  }

  /** The format given with {@code --format}; null or empty means the default table. */
  public static ListFormat of(String format) {
    return new ListFormat(format == null ? "" : format);
  }

  /** The command's own default table ({@code --format} absent, empty or just {@code table}). */
  public boolean isDefaultTable() {
    return format.isEmpty() || format.strip().equals("table");
  }

  public boolean isJson() {
    return format.equals("json");
  }

  /**
   * Renders {@code rows} with a template or as json; {@code headers} names the columns for a table
   * template. Not for the default table, which each command lays out itself.
   */
  public String render(List<? extends Map<String, ?>> rows, Map<String, String> headers) {
    StringBuilder out = new StringBuilder();
    if (isJson()) {
      rows.forEach(r -> out.append(Json.compact(new TreeMap<>(r))).append('\n'));
      return out.toString();
    }
    boolean table = format.startsWith("table");
    String body =
        (table ? format.substring("table".length()) : format)
            .strip()
            // docker lets a shell-quoted format spell tabs and newlines as \t and \n.
            .replace("\\t", "\t")
            .replace("\\n", "\n");
    Template template = Template.parse(body);
    if (!table) {
      rows.forEach(r -> out.append(template.execute(r)).append('\n'));
      return out.toString();
    }
    Table t = new Table();
    t.text(template.execute(headers));
    rows.forEach(r -> t.text(template.execute(r)));
    return t.render();
  }
}
