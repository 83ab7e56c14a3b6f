package io.corral.manager.dispatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure bookkeeping of heartbeats: which node was last heard from when, and which ones have missed
 * too many. Not thread-safe; the dispatcher calls it under its own lock.
 */
final class NodeLiveness {

  /** Missed periods after which a node is down, as in Docker Swarm. */
  static final int MISSED_HEARTBEATS = 3;

  private final Map<String, Instant> lastHeard = new HashMap<>();

  void heard(String nodeId, Instant at) {
    lastHeard.put(nodeId, at);
  }

  void forget(String nodeId) {
    lastHeard.remove(nodeId);
  }

  boolean tracks(String nodeId) {
    return lastHeard.containsKey(nodeId);
  }

  /**
   * Nodes not heard from for {@value #MISSED_HEARTBEATS} periods; they are forgotten as they are
   * returned.
   */
  List<String> expire(Instant now, Duration period) {
    Duration limit = period.multipliedBy(MISSED_HEARTBEATS);
    List<String> expired = new ArrayList<>();
    lastHeard
        .entrySet()
        .removeIf(
            e -> {
              if (Duration.between(e.getValue(), now).compareTo(limit) > 0) {
                expired.add(e.getKey());
                return true;
              }
              return false;
            });
    return expired;
  }
}
