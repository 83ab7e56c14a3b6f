package io.corral.cli.command;

import io.corral.cli.CliContext;
import io.corral.cli.format.Json;
import io.corral.cli.format.Template;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Docker's inspectors, shared by every {@code KIND inspect}: JSON array, JSON lines, a template, or
 * pretty text.
 */
public final class Inspector {

  private Inspector() {}

  /**
   * Prints the objects {@code refs} name: an indented JSON array ({@code format} empty), one
   * compact object per line ({@code json}), or the template per object. Templates and lines are
   * printed as they come and the array at the end (flushed even when empty), then every reference
   * that failed is reported.
   *
   * @param json reads the object a reference names, as the JSON map docker prints
   */
  public static void print(
      CliContext ctx,
      PrintWriter out,
      List<String> refs,
      String format,
      EachRef.Action<Map<String, Object>> json)
      throws Exception {
    Template template = format.isEmpty() || format.equals("json") ? null : Template.parse(format);
    EachRef.Outcome<Map<String, Object>> found =
        EachRef.apply(
            ctx,
            refs,
            ref -> {
              Map<String, Object> object = json.apply(ref);
              if (template != null) {
                out.println(template.execute(object));
                return null;
              }
              if (format.equals("json")) {
                out.println(Json.compact(object));
                return null;
              }
              return object;
            });
    if (format.isEmpty()) {
      out.println(Json.indented(found.results()));
    }
    out.flush();
    found.failIfAny();
  }

  /**
   * The human-readable form, printed only when every reference was found: the first error is all it
   * says.
   */
  public static void pretty(PrintWriter out, List<String> refs, Function<String, String> render) {
    StringBuilder text = new StringBuilder();
    for (String ref : refs) {
      text.append(render.apply(ref));
    }
    out.print(text);
  }
}
