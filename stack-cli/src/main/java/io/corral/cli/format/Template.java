package io.corral.cli.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The subset of Go templates that {@code --format} strings use in practice: literal text, {@code
 * {{.Field}}}, {@code {{.Field.Sub}}}, {@code {{json .}}}, {@code {{json .Field}}} and the {@code
 * {{-}}/{@code -}}} whitespace trim markers. Anything else is refused with a parse error rather
 * than printed wrongly.
 */
public final class Template {

  private sealed interface Part permits Literal, Field, JsonOf {}

  private record Literal(String text) implements Part {}

  /** {@code {{.Name}}}. */
  private record Field(String name) implements Part {}

  /** {@code {{json .}}} (name null) or {@code {{json .Name}}}. */
  private record JsonOf(String name) implements Part {}

  private final List<Part> parts;

  private Template(List<Part> parts) {
    this.parts = parts;
  }

  /**
   * Parses {@code text}.
   *
   * @throws CliFailure "template parsing error: …" for an unsupported or malformed action
   */
  public static Template parse(String text) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf("{{", i);
      if (open < 0) {
        literal.append(text, i, text.length());
        break;
      }
      literal.append(text, i, open);
      int close = text.indexOf("}}", open + 2);
      if (close < 0) {
        throw new CliFailure("template parsing error: template: :1: unclosed action");
      }
      String action = text.substring(open + 2, close);
      if (action.startsWith("-")
          && (action.length() == 1 || Character.isWhitespace(action.charAt(1)))) {
        // "{{- " trims the whitespace before the action.
        int end = literal.length();
        while (end > 0 && Character.isWhitespace(literal.charAt(end - 1))) {
          end--;
        }
        literal.setLength(end);
        action = action.substring(1);
      }
      i = close + 2;
      if (action.endsWith("-")
          && (action.length() == 1 || Character.isWhitespace(action.charAt(action.length() - 2)))) {
        // " -}}" trims the whitespace after it.
        action = action.substring(0, action.length() - 1);
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
      }
      if (literal.length() > 0) {
        parts.add(new Literal(literal.toString()));
        literal.setLength(0);
      }
      parts.add(action(action.strip()));
    }
    if (literal.length() > 0) {
      parts.add(new Literal(literal.toString()));
    }
    return new Template(List.copyOf(parts));
  }

  private static Part action(String action) {
    String[] words = action.split("\\s+");
    if (words.length == 1 && isField(words[0])) {
      return new Field(words[0].substring(1));
    }
    if (words.length == 2
        && words[0].equals("json")
        && (words[1].equals(".") || isField(words[1]))) {
      return new JsonOf(words[1].equals(".") ? null : words[1].substring(1));
    }
    throw new CliFailure(
        "template parsing error: unsupported template action {{"
            + action
            + "}} (supported: "
            + "{{.Field}}, {{json .}}, {{json .Field}})");
  }

  /** {@code .Name} or a path into nested maps, {@code .Status.State}. */
  private static boolean isField(String word) {
    return word.matches("(\\.[A-Za-z0-9_]+)+");
  }

  /**
   * Executes the template on one row.
   *
   * @throws CliFailure when it names a field the row does not have
   */
  public String execute(Map<String, ?> row) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Literal l) {
        out.append(l.text());
      } else if (part instanceof Field f) {
        out.append(goString(value(row, f.name())));
      } else if (part instanceof JsonOf j) {
        out.append(Json.compact(j.name() == null ? new TreeMap<>(row) : value(row, j.name())));
      }
    }
    return out.toString();
  }

  /**
   * The value at a field path. An unknown first field is an error, as for a Go struct; deeper, a
   * missing key is a field docker leaves out when empty ({@code omitempty}), so it prints as empty.
   */
  private static Object value(Map<String, ?> row, String path) {
    String[] names = path.split("\\.");
    if (!row.containsKey(names[0])) {
      throw new CliFailure(
          "template parsing error: template: :1: executing \"\" at <."
              + path
              + ">: can't evaluate field "
              + names[0]);
    }
    Object v = row.get(names[0]);
    for (int i = 1; i < names.length; i++) {
      if (!(v instanceof Map<?, ?> m)) {
        throw new CliFailure(
            "template parsing error: template: :1: executing \"\" at <."
                + path
                + ">: can't evaluate field "
                + names[i]);
      }
      v = m.containsKey(names[i]) ? m.get(names[i]) : "";
    }
    return v;
  }

  /** How Go's text/template prints a value. */
  static String goString(Object v) {
    if (v == null) {
      return "<no value>";
    }
    if (v instanceof Map<?, ?> m) {
      return m.entrySet().stream()
          .map(e -> goString(e.getKey()) + ":" + goString(e.getValue()))
          .collect(Collectors.joining(" ", "map[", "]"));
    }
    if (v instanceof Collection<?> c) {
      return c.stream().map(Template::goString).collect(Collectors.joining(" ", "[", "]"));
    }
    return v.toString();
  }
}
