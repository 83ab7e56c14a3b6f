package io.corral.cli.format;

import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON the way Go's {@code encoding/json} does for the docker CLI: maps, collections, strings, numbers,
 * booleans, null, and byte arrays as base64; HTML-sensitive characters escaped as {@code \u003c}. Map order is
 * the map's iteration order (pass a {@code TreeMap} for Go's sorted map keys, a {@code LinkedHashMap} for a
 * struct's field order).
 */
public final class Json {

  private static final String INDENT = "    ";

  private Json() {}

  /** One line, as {@code json.Marshal} / {@code {{json .}}}. */
  public static String compact(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, null, 0);
    return out.toString();
  }

  /** Indented by four spaces, as {@code json.MarshalIndent(v, "", "    ")} in {@code docker inspect}. */
  public static String indented(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, INDENT, 0);
    return out.toString();
  }

  /** {@code s} as a JSON string literal. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        // Go escapes these so that JSON can be embedded in HTML and JavaScript.
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static void write(StringBuilder out, Object value, String indent, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      out.append(quote(s));
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof Short || value instanceof java.math.BigInteger) {
      out.append(value);
    } else if (value instanceof Number n) {
      out.append(formatNumber(n.doubleValue()));
    } else if (value instanceof byte[] bytes) {
      out.append(quote(Base64.getEncoder().encodeToString(bytes)));
    } else if (value instanceof Map<?, ?> map) {
      writeMap(out, map, indent, depth);
    } else if (value instanceof Collection<?> list) {
      writeList(out, list, indent, depth);
    } else if (value instanceof Enum<?> e) {
      out.append(quote(e.name()));
    } else {
      out.append(quote(value.toString()));
    }
  }

  private static void writeMap(StringBuilder out, Map<?, ?> map, String indent, int depth) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(out, indent, depth + 1);
      out.append(quote(String.valueOf(e.getKey()))).append(indent == null ? ":" : ": ");
      write(out, e.getValue(), indent, depth + 1);
    }
    newline(out, indent, depth);
    out.append('}');
  }

  private static void writeList(StringBuilder out, Collection<?> list, String indent, int depth) {
    if (list.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    boolean first = true;
    for (Object item : list) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(out, indent, depth + 1);
      write(out, item, indent, depth + 1);
    }
    newline(out, indent, depth);
    out.append(']');
  }

  private static void newline(StringBuilder out, String indent, int depth) {
    if (indent != null) {
      out.append('\n').append(indent.repeat(depth));
    }
  }

  private static String formatNumber(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e21) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }
}
