package io.corral.manager.scheduler;

import io.corral.api.Node;
import io.corral.api.Resources;
import io.corral.api.Task;
import java.util.HashMap;
import java.util.Map;

/**
 * One node during a scheduling pass: the resources its tasks have not reserved, and how many live
 * tasks of each service it holds. Placements made in the pass are added, so later decisions of the
 * same pass see them.
 */
final class NodeLoad {

  private final Node node;
  private long freeNanoCpus;
  private long freeMemory;
  private int total;
  private final Map<String, Integer> perService = new HashMap<>();

  NodeLoad(Node node) {
    this.node = node;
    Resources r = node.getDescription().getResources();
    this.freeNanoCpus = r.getNanoCpus();
    this.freeMemory = r.getMemoryBytes();
  }

  Node node() {
    return node;
  }

  String id() {
    return node.getId();
  }

  long freeNanoCpus() {
    return freeNanoCpus;
  }

  long freeMemory() {
    return freeMemory;
  }

  int tasksOf(String serviceId) {
    return perService.getOrDefault(serviceId, 0);
  }

  int total() {
    return total;
  }

  /** Counts a task placed on this node (before the pass, or by it). */
  void add(Task task, boolean countsForSpread) {
    Resources want = NodeFilter.reservation(task);
    freeNanoCpus -= want.getNanoCpus();
    freeMemory -= want.getMemoryBytes();
    if (countsForSpread) {
      total++;
      perService.merge(task.getServiceId(), 1, Integer::sum);
    }
  }

  String label(String descriptor) {
    String d = descriptor.trim();
    if (d.startsWith("node.labels.")) {
      return node.getSpec()
          .getAnnotations()
          .getLabelsMap()
          .getOrDefault(d.substring("node.labels.".length()), "");
    }
    if (d.startsWith("engine.labels.")) {
      return node.getDescription()
          .getEngine()
          .getLabelsMap()
          .getOrDefault(d.substring("engine.labels.".length()), "");
    }
    return "";
  }
}
