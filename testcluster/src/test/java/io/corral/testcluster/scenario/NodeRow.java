package io.corral.testcluster.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One line of {@code corral node ls --format json}. */
record NodeRow(
    String id,
    String hostname,
    String status,
    String availability,
    String managerStatus,
    boolean self) {

  static List<NodeRow> parse(String jsonLines) {
    List<NodeRow> rows = new ArrayList<>();
    for (String line : jsonLines.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      rows.add(
          new NodeRow(
              field(line, "ID"),
              field(line, "Hostname"),
              field(line, "Status"),
              field(line, "Availability"),
              field(line, "ManagerStatus"),
              line.contains("\"Self\":true")));
    }
    return rows;
  }

  /** The row without what depends on who asks (the self marker). */
  NodeRow seenByAnyone() {
    return new NodeRow(id, hostname, status, availability, managerStatus, false);
  }

  private static String field(String line, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
    return m.find() ? m.group(1) : "";
  }
}
