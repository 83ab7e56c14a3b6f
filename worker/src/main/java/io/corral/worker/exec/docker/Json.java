package io.corral.worker.exec.docker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads the Engine API's JSON with snakeyaml (JSON is YAML) and writes request bodies from maps and lists. */
final class Json {
  private Json() {}

  /** Parses a JSON document into maps, lists, strings, numbers, booleans and nulls. */
  static Object parse(String json) {
    LoaderOptions options = new LoaderOptions();
    // Inspect output of a container with many mounts or a long log tail can exceed snakeyaml's 3 MB default.
    options.setCodePointLimit(64 * 1024 * 1024);
    return new Yaml(new SafeConstructor(options)).load(json);
  }

  /** Parses a JSON object; an empty document is an empty object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> parseObject(String json) {
    Object value = parse(json);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object, got " + value.getClass().getSimpleName());
    }
    return (Map<String, Object>) value;
  }

  /** Writes maps (string keys), lists, strings, numbers, booleans and nulls as compact JSON. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(s, out);
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString((String) e.getKey(), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(list.get(i), out);
      }
      out.append(']');
    } else {
      // Doubles and other types are never needed by the Engine API calls; refusing them keeps integers exact.
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
    }
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  // Typed reads of parsed objects: absent or null fields read as the zero value, as in Go's encoder output.

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, Object> m, String key) {
    return m.get(key) instanceof Map<?, ?> v ? (Map<String, Object>) v : Map.of();
  }

  static String string(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? "" : v.toString();
  }

  static long number(Map<String, Object> m, String key) {
    return m.get(key) instanceof Number n ? n.longValue() : 0L;
  }

  static boolean bool(Map<String, Object> m, String key) {
    return Boolean.TRUE.equals(m.get(key));
  }

  static Map<String, String> stringMap(Map<String, Object> m, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    object(m, key).forEach((k, v) -> out.put(k, v == null ? "" : v.toString()));
    return out;
  }

  static List<String> stringList(Map<String, Object> m, String key) {
    List<String> out = new ArrayList<>();
    if (m.get(key) instanceof List<?> list) {
      list.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }

  /** An RFC 3339 time; Go's zero time (year 1) and absence read as null. */
  static Instant time(Map<String, Object> m, String key) {
    String v = string(m, key);
    if (v.isEmpty() || v.startsWith("0001-01-01")) {
      return null;
    }
    return Instant.parse(v);
  }
}
