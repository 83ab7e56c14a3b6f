package io.corral.manager.controller;

import io.corral.api.Cluster;
import io.corral.api.Network;
import io.corral.api.Node;
import io.corral.api.NodeStatus;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.common.TerminalStates;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.ReadTx;
import io.corral.manager.task.TaskStates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a controller pass decides from, read in one consistent view: the cluster, services,
 * nodes, tasks and networks, in id order (so decisions are deterministic).
 */
public record ClusterSnapshot(
    Optional<Cluster> cluster,
    Map<String, Service> services,
    Map<String, Node> nodes,
    List<Task> tasks,
    Map<String, List<Task>> tasksByService,
    Map<String, Network> networks) {

  /** Default of task_history_retention_limit when no cluster object exists. */
  public static final long DEFAULT_TASK_HISTORY = 5;

  public static ClusterSnapshot read(ReadTx tx) {
    return of(
        tx.list(ObjectKind.CLUSTER).stream().findFirst(),
        tx.list(ObjectKind.SERVICE),
        tx.list(ObjectKind.NODE),
        tx.list(ObjectKind.TASK),
        tx.list(ObjectKind.NETWORK));
  }

  public static ClusterSnapshot of(
      Optional<Cluster> cluster, List<Service> services, List<Node> nodes, List<Task> tasks) {
    return of(cluster, services, nodes, tasks, List.of());
  }

  public static ClusterSnapshot of(
      Optional<Cluster> cluster,
      List<Service> services,
      List<Node> nodes,
      List<Task> tasks,
      List<Network> networks) {
    Map<String, Service> s = new LinkedHashMap<>();
    services.forEach(x -> s.put(x.getId(), x));
    Map<String, Node> n = new LinkedHashMap<>();
    nodes.forEach(x -> n.put(x.getId(), x));
    Map<String, List<Task>> byService = new LinkedHashMap<>();
    for (Task t : tasks) {
      byService.computeIfAbsent(t.getServiceId(), k -> new ArrayList<>()).add(t);
    }
    Map<String, Network> nets = new LinkedHashMap<>();
    networks.forEach(x -> nets.put(x.getId(), x));
    return new ClusterSnapshot(cluster, s, n, List.copyOf(tasks), byService, nets);
  }

  public Optional<Network> network(String id) {
    return Optional.ofNullable(networks.get(id));
  }

  public List<Task> tasksOf(String serviceId) {
    return tasksByService.getOrDefault(serviceId, List.of());
  }

  public Optional<Service> service(String id) {
    return Optional.ofNullable(services.get(id));
  }

  public Optional<Node> node(String id) {
    return Optional.ofNullable(nodes.get(id));
  }

  /**
   * The task's node is gone or DOWN: whatever the task last reported, it is not running for the
   * cluster. Unassigned tasks are never lost.
   */
  public boolean nodeLost(Task task) {
    if (task.getNodeId().isEmpty()) {
      return false;
    }
    Node n = nodes.get(task.getNodeId());
    return n == null || n.getStatus().getState() == NodeStatus.State.DOWN;
  }

  /** The task may still be running for the cluster: not ended, and its node is not lost. */
  public boolean alive(Task task) {
    return !TerminalStates.isTerminal(task.getStatus().getState()) && !nodeLost(task);
  }

  /**
   * The task wants to run no more and no agent runs it: terminal, never assigned, or on a node that
   * is down or gone.
   */
  public boolean finished(Task task) {
    return !TaskStates.wantsToRun(task)
        && (TerminalStates.isTerminal(task.getStatus().getState())
            || !TaskStates.reachedAgent(task)
            || nodeLost(task));
  }

  /** The cluster's task history retention limit (negative = keep all). */
  public long taskHistoryLimit() {
    return cluster
        .map(c -> c.getSpec().getOrchestration().getTaskHistoryRetentionLimit())
        .orElse(DEFAULT_TASK_HISTORY);
  }
}
