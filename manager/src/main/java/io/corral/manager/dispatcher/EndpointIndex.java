package io.corral.manager.dispatcher;

import io.corral.api.Service;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The leader's current view of service endpoints: the entry of every (service, network) pair, and
 * which nodes are attached to which networks (they have a live task with an address there). Kept up
 * to date one task and one pair at a time, so a change costs what it touches, not the cluster. Used
 * by one thread.
 */
final class EndpointIndex {

  /** One entry: a service on a network. */
  record Key(String serviceId, String networkId) {}

  /** A node that began or stopped being attached to a network. */
  record Attachment(String nodeId, String networkId) {}

  /** What each task contributes to its node's networks (only tasks that contribute any). */
  private final Map<String, Contribution> byTask = new HashMap<>();

  /** node id → network id → how many of the node's tasks attach it. */
  private final Map<String, Map<String, Integer>> nodeNetworks = new HashMap<>();

  /** network id → nodes attached to it. */
  private final Map<String, Set<String>> networkNodes = new HashMap<>();

  private final Map<Key, ServiceEndpoints> entries = new HashMap<>();
  private final Map<String, Set<Key>> byNetwork = new HashMap<>();
  private final Map<String, Set<Key>> byService = new HashMap<>();

  private record Contribution(String nodeId, Set<String> networks) {}

  void clear() {
    byTask.clear();
    nodeNetworks.clear();
    networkNodes.clear();
    entries.clear();
    byNetwork.clear();
    byService.clear();
  }

  /**
   * Records the task as it is now (null once deleted); returns the nodes that began or stopped
   * being attached to a network because of it.
   */
  Set<Attachment> task(String taskId, Task now) {
    Contribution after =
        now == null ? null : new Contribution(now.getNodeId(), Endpoints.attachedNetworks(now));
    if (after != null && after.networks().isEmpty()) {
      after = null;
    }
    Contribution before = after == null ? byTask.remove(taskId) : byTask.put(taskId, after);
    if (Objects.equals(before, after)) {
      return Set.of();
    }
    Set<Attachment> changed = new LinkedHashSet<>();
    if (before != null) {
      for (String net : before.networks()) {
        if (adjust(before.nodeId(), net, -1)) {
          changed.add(new Attachment(before.nodeId(), net));
        }
      }
    }
    if (after != null) {
      for (String net : after.networks()) {
        if (adjust(after.nodeId(), net, +1)) {
          changed.add(new Attachment(after.nodeId(), net));
        }
      }
    }
    return changed;
  }

  /** Counts one task in or out; true when the node's attachment to the network began or ended. */
  private boolean adjust(String nodeId, String networkId, int delta) {
    Map<String, Integer> nets = nodeNetworks.computeIfAbsent(nodeId, k -> new HashMap<>());
    int count = nets.getOrDefault(networkId, 0) + delta;
    if (count > 0) {
      nets.put(networkId, count);
      if (count == 1 && delta > 0) {
        networkNodes.computeIfAbsent(networkId, k -> new HashSet<>()).add(nodeId);
        return true;
      }
      return false;
    }
    nets.remove(networkId);
    if (nets.isEmpty()) {
      nodeNetworks.remove(nodeId);
    }
    Set<String> nodes = networkNodes.get(networkId);
    if (nodes != null) {
      nodes.remove(nodeId);
      if (nodes.isEmpty()) {
        networkNodes.remove(networkId);
      }
    }
    return true;
  }

  /**
   * Recomputes one pair from the service (empty once deleted) and its tasks; true when its entry
   * changed, appeared or went away.
   */
  boolean recompute(
      Key key, Optional<Service> service, List<Task> tasks, Function<String, String> nodeAddr) {
    ServiceEndpoints now =
        service.flatMap(s -> Endpoints.of(s, key.networkId(), tasks, nodeAddr)).orElse(null);
    ServiceEndpoints before = now == null ? entries.remove(key) : entries.put(key, now);
    if (now == null) {
      unindex(byNetwork, key.networkId(), key);
      unindex(byService, key.serviceId(), key);
    } else {
      byNetwork.computeIfAbsent(key.networkId(), k -> new LinkedHashSet<>()).add(key);
      byService.computeIfAbsent(key.serviceId(), k -> new LinkedHashSet<>()).add(key);
    }
    return !Objects.equals(before, now);
  }

  private static void unindex(Map<String, Set<Key>> index, String id, Key key) {
    Set<Key> keys = index.get(id);
    if (keys != null) {
      keys.remove(key);
      if (keys.isEmpty()) {
        index.remove(id);
      }
    }
  }

  /** The pair's entry, or null when the service is not on the network. */
  ServiceEndpoints get(Key key) {
    return entries.get(key);
  }

  /** Whether the node has a live task with an address on the network. */
  boolean attached(String nodeId, String networkId) {
    return nodeNetworks.getOrDefault(nodeId, Map.of()).containsKey(networkId);
  }

  Set<String> nodesOn(String networkId) {
    return networkNodes.getOrDefault(networkId, Set.of());
  }

  Set<String> networksOf(String nodeId) {
    return nodeNetworks.getOrDefault(nodeId, Map.of()).keySet();
  }

  Set<Key> pairsOn(String networkId) {
    return byNetwork.getOrDefault(networkId, Set.of());
  }

  Set<Key> pairsOf(String serviceId) {
    return byService.getOrDefault(serviceId, Set.of());
  }

  /** What the node must have been sent: every entry on every network it is attached to. */
  Map<Key, ServiceEndpoints> forNode(String nodeId) {
    Map<Key, ServiceEndpoints> out = new HashMap<>();
    for (String net : networksOf(nodeId)) {
      for (Key k : pairsOn(net)) {
        out.put(k, entries.get(k));
      }
    }
    return out;
  }
}
