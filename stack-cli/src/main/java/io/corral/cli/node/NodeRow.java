package io.corral.cli.node;

import io.corral.api.Node;
import io.corral.cli.format.Pretty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node as a line of {@code node ls}: the fields of docker's node list context, usable from
 * {@code --format} templates ({@code {{.Hostname}}}) and as {@code --format json}.
 */
record NodeRow(
    String id,
    boolean self,
    String hostname,
    String status,
    String availability,
    String managerStatus,
    String engineVersion) {

  /** Column headers of a {@code table} template, by field. */
  static final Map<String, String> HEADERS =
      Map.of(
          "ID", "ID",
          "Self", "",
          "Hostname", "HOSTNAME",
          "Status", "STATUS",
          "Availability", "AVAILABILITY",
          "ManagerStatus", "MANAGER STATUS",
          "EngineVersion", "ENGINE VERSION");

  static NodeRow of(Node n, String selfId) {
    return new NodeRow(
        n.getId(),
        n.getId().equals(selfId),
        n.getDescription().getHostname(),
        Pretty.capitalize(NodeWords.state(n.getStatus().getState())),
        Pretty.capitalize(NodeWords.availability(n.getSpec().getAvailability())),
        managerStatus(n),
        n.getDescription().getEngine().getEngineVersion());
  }

  /**
   * Docker's MANAGER STATUS: "Leader" for the Raft leader, else the reachability of a manager,
   * empty for a node without manager status (a worker).
   */
  static String managerStatus(Node n) {
    if (!n.hasManagerStatus()) {
      return "";
    }
    return n.getManagerStatus().getLeader()
        ? "Leader"
        : Pretty.capitalize(NodeWords.reachability(n.getManagerStatus().getReachability()));
  }

  /** The row as template fields. */
  Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ID", id);
    m.put("Self", self);
    m.put("Hostname", hostname);
    m.put("Status", status);
    m.put("Availability", availability);
    m.put("ManagerStatus", managerStatus);
    m.put("EngineVersion", engineVersion);
    return m;
  }
}
