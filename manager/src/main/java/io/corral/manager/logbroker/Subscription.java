package io.corral.manager.logbroker;

import io.corral.api.LogContext;
import io.corral.api.LogMessage;
import io.corral.api.LogSelector;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.SubscriptionMessage;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One `service logs` request inside the broker: which nodes must publish for it, how far each one
 * got, and the sink its lines go to. A non-follow subscription ends once every concerned node has
 * finished (cleanly or with a problem); a follow subscription ends only when it is closed.
 */
final class Subscription {

  /** How far one node got with this subscription. */
  enum Progress {
    /** Not heard from yet (maybe not even told: not connected). */
    WAITING,
    /** Sent at least one message. */
    PUBLISHING,
    /** Sent close, or failed. */
    DONE
  }

  private final String id;
  private final LogSelector selector;
  private final LogSubscriptionOptions options;
  private final LogSink sink;
  private final Map<String, Progress> nodes = new LinkedHashMap<>();
  private final List<NodeProblem> problems = new ArrayList<>();
  private boolean ended;

  Subscription(String id, LogSelector selector, LogSubscriptionOptions options, LogSink sink) {
    this.id = id;
    this.selector = selector;
    this.options = options;
    this.sink = sink;
  }

  String id() {
    return id;
  }

  boolean follow() {
    return options.getFollow();
  }

  /** What a node is told to start publishing. */
  SubscriptionMessage message() {
    return SubscriptionMessage.newBuilder()
        .setId(id)
        .setSelector(selector)
        .setOptions(options)
        .build();
  }

  /** What a node is told to stop publishing. */
  SubscriptionMessage closeMessage() {
    return SubscriptionMessage.newBuilder().setId(id).setClose(true).build();
  }

  /** Adds a node that runs (or ran) a selected task; false if it was already concerned. */
  synchronized boolean addNode(String nodeId) {
    if (ended || nodes.containsKey(nodeId)) {
      return false;
    }
    nodes.put(nodeId, Progress.WAITING);
    return true;
  }

  synchronized Set<String> nodes() {
    return Set.copyOf(nodes.keySet());
  }

  synchronized Progress progress(String nodeId) {
    return nodes.get(nodeId);
  }

  /** Concerned nodes that have not finished, ended or not (those to tell to stop). */
  synchronized List<String> unfinishedNodes() {
    return nodes.entrySet().stream()
        .filter(e -> e.getValue() != Progress.DONE)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Whether the node still has something to do for this subscription. */
  synchronized boolean pending(String nodeId) {
    Progress p = nodes.get(nodeId);
    return !ended && p != null && p != Progress.DONE;
  }

  /**
   * Passes one node's lines on, with the node id the certificate proved (a node cannot speak for
   * another). Lines of a node that is not concerned or already done are dropped.
   */
  void deliver(String nodeId, List<LogMessage> messages) {
    synchronized (this) {
      Progress p = nodes.get(nodeId);
      if (ended || p == null || p == Progress.DONE) {
        return;
      }
      nodes.put(nodeId, Progress.PUBLISHING);
      if (messages.isEmpty()) {
        return;
      }
      List<LogMessage> stamped = new ArrayList<>(messages.size());
      for (LogMessage m : messages) {
        stamped.add(
            m.getContext().getNodeId().equals(nodeId)
                ? m
                : m.toBuilder()
                    .setContext(LogContext.newBuilder(m.getContext()).setNodeId(nodeId))
                    .build());
      }
      // Under the lock, so that the sink sees each node's lines in order and nothing after the end.
      sink.send(stamped);
    }
  }

  /** Runs {@code next} once the subscriber can take more lines (see {@link LogSink#whenReady}). */
  void whenReady(Runnable next) {
    sink.whenReady(next);
  }

  /**
   * The node finished: cleanly ({@code problem} null) or not. Ends a non-follow subscription when
   * it was the last.
   */
  void nodeDone(String nodeId, String problem) {
    List<NodeProblem> result = null;
    synchronized (this) {
      Progress p = nodes.get(nodeId);
      if (ended || p == null || p == Progress.DONE) {
        return;
      }
      nodes.put(nodeId, Progress.DONE);
      if (problem != null) {
        problems.add(new NodeProblem(nodeId, problem));
      }
      if (!follow() && allDone()) {
        ended = true;
        result = List.copyOf(problems);
      }
      if (result != null) {
        sink.end(result);
      }
    }
  }

  /** Ends a non-follow subscription that concerns no node at all; true if it ended. */
  boolean endIfNoNodes() {
    synchronized (this) {
      if (ended || follow() || !nodes.isEmpty()) {
        return false;
      }
      ended = true;
      sink.end(List.of());
      return true;
    }
  }

  /** Fails the subscription (unless it already ended); true if this call ended it. */
  boolean fail(Status status) {
    synchronized (this) {
      if (ended) {
        return false;
      }
      ended = true;
      sink.fail(status);
      return true;
    }
  }

  /** Marks the subscription ended without telling the sink (its caller went away). */
  synchronized void cancel() {
    ended = true;
  }

  synchronized boolean ended() {
    return ended;
  }

  private boolean allDone() {
    return nodes.values().stream().allMatch(p -> p == Progress.DONE);
  }
}
