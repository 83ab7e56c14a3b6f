package io.corral.manager.scheduler;

import com.google.protobuf.Timestamp;
import io.corral.api.PlacementPreference;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.ProtoTime;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.controller.Planner;
import io.corral.manager.placement.ConstraintCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Assigns PENDING tasks to nodes, deciding from one snapshot: the nodes that pass every {@link
 * NodeFilter}, spread over the service's placement preferences (even numbers of its tasks per label
 * value), then the node with fewest tasks of the service, then fewest tasks overall. A task that
 * fits nowhere stays PENDING with the reason in its status ("no suitable node (…)") and is tried
 * again on the next change.
 */
public final class Scheduler implements Planner {

  static final String ASSIGNED_MESSAGE = "scheduler assigned task to node";
  static final String PENDING_MESSAGE = "pending task scheduling";

  private final ConstraintCheck constraints;

  public Scheduler(ConstraintCheck constraints) {
    this.constraints = constraints;
  }

  /** Tasks the scheduler must place: allocated, unassigned, and still wanted. */
  static boolean needsPlacement(Task t) {
    return t.getStatus().getState() == TaskState.PENDING
        && t.getDesiredStateValue() < TaskState.SHUTDOWN_VALUE;
  }

  @Override
  public Plan plan(ClusterSnapshot snapshot, Instant now) {
    Map<String, NodeLoad> loads = new LinkedHashMap<>();
    snapshot.nodes().values().forEach(n -> loads.put(n.getId(), new NodeLoad(n)));
    List<Task> pending = new ArrayList<>();
    for (Task t : snapshot.tasks()) {
      if (needsPlacement(t)) {
        pending.add(t);
      } else if (holdsResources(t) && loads.containsKey(t.getNodeId())) {
        loads.get(t.getNodeId()).add(t, t.getDesiredStateValue() < TaskState.SHUTDOWN_VALUE);
      }
    }
    if (pending.isEmpty()) {
      return Plan.NOTHING;
    }
    // Per service, lowest slots first, so that a scale-up spreads in a readable order.
    pending.sort(
        Comparator.comparing(Task::getServiceId)
            .thenComparingLong(Task::getSlot)
            .thenComparing(Task::getId));
    Plan.Builder plan = new Plan.Builder();
    Timestamp at = ProtoTime.timestamp(now);
    for (Task task : pending) {
      decide(task, loads)
          .ifPresentOrElse(
              node -> {
                node.add(task, true);
                plan.add(new Change.Update(assigned(task, node.id(), at)));
              },
              () -> {
                String why = "no suitable node (" + explain(task, loads.values()) + ")";
                if (!why.equals(task.getStatus().getErr())) {
                  plan.add(
                      new Change.Update(
                          task.toBuilder()
                              .setStatus(
                                  task.getStatus().toBuilder()
                                      .setMessage(PENDING_MESSAGE)
                                      .setErr(why))
                              .build()));
                }
              });
    }
    return plan.build();
  }

  /** A task on a node uses its reservation there until it ends. */
  private static boolean holdsResources(Task t) {
    int s = t.getStatus().getStateValue();
    return !t.getNodeId().isEmpty()
        && s >= TaskState.ASSIGNED_VALUE
        && s <= TaskState.RUNNING_VALUE;
  }

  private Optional<NodeLoad> decide(Task task, Map<String, NodeLoad> loads) {
    if (!task.getNodeId().isEmpty()) {
      // Global tasks come with their node: only check that it can take the task now.
      NodeLoad node = loads.get(task.getNodeId());
      return node != null && fits(node, task) ? Optional.of(node) : Optional.empty();
    }
    List<NodeLoad> candidates = loads.values().stream().filter(n -> fits(n, task)).toList();
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    List<String> spread =
        task.getSpec().getPlacement().getPreferencesList().stream()
            .filter(PlacementPreference::hasSpread)
            .map(p -> p.getSpread().getSpreadDescriptor())
            .toList();
    Map<String, Integer> branches = branchCounts(candidates, spread, task.getServiceId());
    Comparator<NodeLoad> order = (a, b) -> 0;
    for (int level = 1; level <= spread.size(); level++) {
      int depth = level;
      order = order.thenComparingInt(n -> branches.getOrDefault(branch(n, spread, depth), 0));
    }
    order =
        order
            .thenComparingInt((NodeLoad n) -> n.tasksOf(task.getServiceId()))
            .thenComparingInt(NodeLoad::total)
            .thenComparing(NodeLoad::id);
    return candidates.stream().min(order);
  }

  private boolean fits(NodeLoad node, Task task) {
    for (NodeFilter f : NodeFilter.values()) {
      if (!f.accepts(node, task, constraints)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Tasks of the service under each branch of the preference tree (values of the first 1..k
   * descriptors).
   */
  private static Map<String, Integer> branchCounts(
      List<NodeLoad> nodes, List<String> spread, String serviceId) {
    Map<String, Integer> counts = new HashMap<>();
    for (NodeLoad n : nodes) {
      for (int level = 1; level <= spread.size(); level++) {
        counts.merge(branch(n, spread, level), n.tasksOf(serviceId), Integer::sum);
      }
    }
    return counts;
  }

  private static String branch(NodeLoad n, List<String> spread, int depth) {
    StringJoiner key = new StringJoiner("\u0000");
    for (int i = 0; i < depth; i++) {
      key.add(n.label(spread.get(i)));
    }
    return key.toString();
  }

  /** Why no node fits: each node is counted against the first filter that refuses it. */
  String explain(Task task, Iterable<NodeLoad> nodes) {
    Map<NodeFilter, Integer> refused = new EnumMap<>(NodeFilter.class);
    int total = 0;
    for (NodeLoad n : nodes) {
      if (!task.getNodeId().isEmpty() && !task.getNodeId().equals(n.id())) {
        continue;
      }
      total++;
      for (NodeFilter f : NodeFilter.values()) {
        if (!f.accepts(n, task, constraints)) {
          refused.merge(f, 1, Integer::sum);
          break;
        }
      }
    }
    if (total == 0) {
      return task.getNodeId().isEmpty()
          ? "no nodes in the cluster"
          : "node " + task.getNodeId() + " is gone";
    }
    StringJoiner why = new StringJoiner("; ");
    refused.forEach((f, n) -> why.add(f.explain(n)));
    return why.toString();
  }

  private static Task assigned(Task task, String nodeId, Timestamp at) {
    TaskStatus status =
        task.getStatus().toBuilder()
            .setState(TaskState.ASSIGNED)
            .setMessage(ASSIGNED_MESSAGE)
            .setErr("")
            .setTimestamp(at)
            .build();
    return task.toBuilder().setNodeId(nodeId).setStatus(status).build();
  }
}
