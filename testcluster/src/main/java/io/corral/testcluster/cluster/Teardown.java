package io.corral.testcluster.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What taking a test cluster down removed: the daemons it killed, the task processes of its nodes
 * (process executor), the Docker engine's objects labelled with its node ids, and its namespaces.
 */
public record Teardown(
    List<String> daemons,
    Map<String, Integer> taskProcesses,
    List<String> containers,
    List<String> volumes,
    List<String> networks,
    List<String> namespaces) {

  static final Teardown NONE =
      new Teardown(List.of(), Map.of(), List.of(), List.of(), List.of(), List.of());

  public Teardown {
    daemons = List.copyOf(daemons);
    taskProcesses = Map.copyOf(taskProcesses);
    containers = List.copyOf(containers);
    volumes = List.copyOf(volumes);
    networks = List.copyOf(networks);
    namespaces = List.copyOf(namespaces);
  }

  /** This, plus namespaces removed besides. */
  Teardown withNamespaces(List<String> more) {
    List<String> all = new ArrayList<>(namespaces);
    more.stream().filter(ns -> !all.contains(ns)).forEach(all::add);
    return new Teardown(daemons, taskProcesses, containers, volumes, networks, all);
  }

  public int taskProcessCount() {
    return taskProcesses.values().stream().mapToInt(Integer::intValue).sum();
  }

  public boolean isEmpty() {
    return daemons.isEmpty()
        && taskProcessCount() == 0
        && containers.isEmpty()
        && volumes.isEmpty()
        && networks.isEmpty()
        && namespaces.isEmpty();
  }

  /**
   * One line for a person, e.g. "killed the daemons of m1, w2; removed 2 containers (web.3.x,
   * web.8.y)".
   */
  public String describe() {
    if (isEmpty()) {
      return "nothing was left to remove";
    }
    List<String> parts = new ArrayList<>();
    if (!daemons.isEmpty()) {
      parts.add("killed the daemons of " + String.join(", ", daemons));
    }
    if (taskProcessCount() > 0) {
      parts.add(
          "killed "
              + taskProcessCount()
              + " task process group(s) ("
              + String.join(
                  ", ",
                  new TreeMap<>(taskProcesses)
                      .entrySet().stream()
                          .filter(e -> e.getValue() > 0)
                          .map(e -> e.getKey() + ": " + e.getValue())
                          .toList())
              + ")");
    }
    objects(parts, "container", containers);
    objects(parts, "volume", volumes);
    objects(parts, "network", networks);
    if (!namespaces.isEmpty()) {
      parts.add("deleted " + namespaces.size() + " namespace(s)");
    }
    return String.join("; ", parts);
  }

  private static void objects(List<String> parts, String kind, List<String> names) {
    if (!names.isEmpty()) {
      parts.add(
          "removed "
              + names.size()
              + " "
              + kind
              + (names.size() == 1 ? "" : "s")
              + " of the engine ("
              + String.join(", ", names)
              + ")");
    }
  }
}
