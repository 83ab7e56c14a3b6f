package io.corral.cli.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values of repeated {@code -f/--filter key=value} options, grouped by key in the order given.
 */
public final class FilterArgs {

  private final Map<String, List<String>> values;

  private FilterArgs(Map<String, List<String>> values) {
    this.values = values;
  }

  /**
   * Parses {@code key=value} strings (null = no filters).
   *
   * @throws CliFailure with docker's message when one has no {@code =}
   */
  public static FilterArgs parse(List<String> args) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (args != null) {
      for (String arg : args) {
        int eq = arg.indexOf('=');
        if (eq < 0) {
          throw new CliFailure(
              "invalid argument \""
                  + arg
                  + "\" for \"-f, --filter\" flag: "
                  + "bad format of filter (expected name=value)");
        }
        // Keys are case-insensitive and trimmed, as in docker's filters.ParseFlag.
        String key = arg.substring(0, eq).strip().toLowerCase();
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(arg.substring(eq + 1).strip());
      }
    }
    return new FilterArgs(values);
  }

  /**
   * Fails like the daemon does when a key is not one of {@code accepted}.
   *
   * @throws CliFailure "Error response from daemon: invalid filter 'x'"
   */
  public FilterArgs validate(Set<String> accepted) {
    for (String key : values.keySet()) {
      if (!accepted.contains(key)) {
        throw new CliFailure("Error response from daemon: invalid filter '" + key + "'");
      }
    }
    return this;
  }

  /** The values given for {@code key}, in order (empty if none). */
  public List<String> get(String key) {
    return values.getOrDefault(key, List.of());
  }

  /**
   * The values of {@code key} read as labels: {@code k=v}, or {@code k} alone for "has label k"
   * (empty value), as docker's ConvertKVStringsToMap.
   */
  public Map<String, String> labels(String key) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String v : get(key)) {
      int eq = v.indexOf('=');
      labels.put(eq < 0 ? v : v.substring(0, eq), eq < 0 ? "" : v.substring(eq + 1));
    }
    return labels;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }
}
