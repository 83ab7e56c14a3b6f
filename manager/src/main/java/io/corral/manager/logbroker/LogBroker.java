package io.corral.manager.logbroker;

import io.corral.api.ListenSubscriptionsRequest;
import io.corral.api.LogBrokerGrpc;
import io.corral.api.PublishLogsMessage;
import io.corral.api.PublishLogsResponse;
import io.corral.api.SubscriptionMessage;
import io.corral.common.NamedThreads;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's log broker (after swarmkit's): keeps each connected node's subscription stream,
 * tells the nodes concerned about every `service logs` subscription, and passes the lines they
 * publish to the subscriber. Agents hold their session with the leader, so the broker serves on the
 * leader only; on other managers it refuses, and `service logs` reaching them is forwarded to the
 * leader (see {@link ServiceLogs}). When this manager stops leading, every subscription fails and
 * every node stream closes, and agents reconnect to the new leader.
 */
public final class LogBroker extends LogBrokerGrpc.LogBrokerImplBase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LogBroker.class);

  /** How long a non-follow subscription waits for a concerned node that is not connected. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(3);

  private final Supplier<String> callerNodeId;
  private final BooleanSupplier leading;
  private final Duration grace;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("log-broker"));

  /** The subscription stream of each connected node. */
  private final Map<String, NodeStream> listeners = new HashMap<>();

  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private volatile boolean wasLeading;

  /**
   * One node's ListenSubscriptions stream. Sends happen under the broker's lock, so they keep their
   * order.
   */
  private record NodeStream(String nodeId, StreamObserver<SubscriptionMessage> out) {
    void send(SubscriptionMessage m) {
      try {
        out.onNext(m);
      } catch (RuntimeException e) {
        LOG.debug(
            "could not tell node {} about subscription {}: {}", nodeId, m.getId(), e.toString());
      }
    }

    void close(Status status) {
      try {
        out.onError(status.asRuntimeException());
      } catch (RuntimeException ignored) {
        // already closed by the node
      }
    }
  }

  /**
   * @param callerNodeId the node id of the certificate that made the current call
   * @param leading whether this manager leads the Raft group now
   * @param grace how long a non-follow subscription waits for a node that is not connected before
   *     it ends without that node's logs
   */
  public LogBroker(Supplier<String> callerNodeId, BooleanSupplier leading, Duration grace) {
    this.callerNodeId = callerNodeId;
    this.leading = leading;
    this.grace = grace;
    timer.scheduleWithFixedDelay(this::checkLeadership, 0, 250, TimeUnit.MILLISECONDS);
  }

  public LogBroker(Supplier<String> callerNodeId, BooleanSupplier leading) {
    this(callerNodeId, leading, DEFAULT_GRACE);
  }

  @Override
  public void listenSubscriptions(
      ListenSubscriptionsRequest request, StreamObserver<SubscriptionMessage> out) {
    String nodeId = callerNodeId.get();
    if (!leading.getAsBoolean()) {
      out.onError(notLeader());
      return;
    }
    NodeStream stream = new NodeStream(nodeId, out);
    if (out instanceof ServerCallStreamObserver<SubscriptionMessage> call) {
      call.setOnCancelHandler(() -> disconnected(stream));
    }
    NodeStream previous;
    synchronized (this) {
      previous = listeners.put(nodeId, stream);
      if (previous != null) {
        previous.close(
            Status.CANCELLED.withDescription(
                "replaced by a newer subscription stream of node " + nodeId));
      }
      // A node that connects late (or again) still gets the subscriptions waiting for it.
      for (Subscription s : subscriptions.values()) {
        if (s.pending(nodeId)) {
          stream.send(s.message());
        }
      }
    }
    LOG.debug("node {} listens for log subscriptions", nodeId);
  }

  @Override
  public StreamObserver<PublishLogsMessage> publishLogs(StreamObserver<PublishLogsResponse> out) {
    String nodeId = callerNodeId.get();
    if (!leading.getAsBoolean()) {
      out.onError(notLeader());
      return new Ignored<>();
    }
    ServerCallStreamObserver<PublishLogsResponse> call =
        (ServerCallStreamObserver<PublishLogsResponse>) out;
    // Read a node's next message only when the subscriber can take more (see onNext).
    call.disableAutoRequest();
    call.request(1);
    return new Publication(nodeId, call);
  }

  /**
   * One node's PublishLogs stream; it may carry several subscriptions. gRPC calls it from one
   * thread at a time.
   */
  private final class Publication implements StreamObserver<PublishLogsMessage> {

    private final String nodeId;
    private final ServerCallStreamObserver<PublishLogsResponse> out;

    /** Subscriptions this stream sent lines for and has not closed. */
    private final Map<String, Subscription> open = new HashMap<>();

    private boolean refused;

    Publication(String nodeId, ServerCallStreamObserver<PublishLogsResponse> out) {
      this.nodeId = nodeId;
      this.out = out;
    }

    @Override
    public void onNext(PublishLogsMessage m) {
      if (refused) {
        return;
      }
      Subscription s;
      synchronized (LogBroker.this) {
        s = subscriptions.get(m.getSubscriptionId());
      }
      if (s == null) {
        out.request(1);
        return; // closed or ended meanwhile: late lines are dropped
      }
      if (s.progress(nodeId) == null) {
        refused = true;
        finishOpen("node " + nodeId + " sent lines for a subscription that does not concern it");
        out.onError(
            Status.PERMISSION_DENIED
                .withDescription(
                    "subscription " + m.getSubscriptionId() + " does not concern node " + nodeId)
                .asRuntimeException());
        return;
      }
      open.put(s.id(), s);
      s.deliver(nodeId, m.getMessagesList());
      if (m.getClose()) {
        open.remove(s.id());
        s.nodeDone(nodeId, null);
        reap(s);
      }
      s.whenReady(() -> out.request(1));
    }

    @Override
    public void onError(Throwable t) {
      finishOpen("its log stream broke (" + Status.fromThrowable(t).getCode() + ")");
    }

    @Override
    public void onCompleted() {
      finishOpen("it ended its log stream without finishing");
      if (!refused) {
        out.onNext(PublishLogsResponse.getDefaultInstance());
        out.onCompleted();
      }
    }

    private void finishOpen(String why) {
      for (Subscription s : open.values()) {
        s.nodeDone(nodeId, why);
        reap(s);
      }
      open.clear();
    }
  }

  /**
   * Registers a subscription and tells the connected nodes it concerns; nodes not connected are
   * told when they connect, and a non-follow subscription gives up on them after the grace period.
   *
   * @throws StatusRuntimeException UNAVAILABLE when this manager does not lead
   */
  void subscribe(Subscription s) {
    synchronized (this) {
      if (!leading.getAsBoolean()) {
        throw notLeader();
      }
      subscriptions.put(s.id(), s);
      for (String node : s.nodes()) {
        tell(node, s);
      }
    }
    if (s.endIfNoNodes()) {
      reap(s);
    }
  }

  /** Adds a node to a (follow) subscription once a selected task appears there, and tells it. */
  void addNode(Subscription s, String nodeId) {
    if (!s.addNode(nodeId)) {
      return;
    }
    synchronized (this) {
      if (subscriptions.get(s.id()) == s) {
        tell(nodeId, s);
      }
    }
  }

  /**
   * Ends a subscription its subscriber no longer wants, and tells the nodes still publishing to
   * stop.
   */
  void unsubscribe(Subscription s) {
    s.cancel();
    forget(s);
  }

  /** Whether the node has a subscription stream open here. */
  public synchronized boolean connected(String nodeId) {
    return listeners.containsKey(nodeId);
  }

  private void tell(String nodeId, Subscription s) {
    NodeStream stream = listeners.get(nodeId);
    if (stream != null) {
      stream.send(s.message());
    } else if (!s.follow()) {
      awaitNode(s, nodeId);
    }
  }

  /**
   * Gives a node the grace period to connect (or reconnect) and start; after it, the node is given
   * up.
   */
  private void awaitNode(Subscription s, String nodeId) {
    timer.schedule(
        () -> {
          boolean absent;
          synchronized (this) {
            absent = !listeners.containsKey(nodeId);
          }
          if (absent && s.progress(nodeId) == Subscription.Progress.WAITING) {
            s.nodeDone(nodeId, "node is not connected");
            reap(s);
          }
        },
        grace.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void disconnected(NodeStream stream) {
    List<Subscription> waiting = new ArrayList<>();
    synchronized (this) {
      if (!listeners.remove(stream.nodeId(), stream)) {
        return;
      }
      for (Subscription s : subscriptions.values()) {
        if (!s.follow() && s.progress(stream.nodeId()) == Subscription.Progress.WAITING) {
          waiting.add(s);
        }
      }
    }
    LOG.debug("node {} stopped listening for log subscriptions", stream.nodeId());
    waiting.forEach(s -> awaitNode(s, stream.nodeId()));
  }

  /** Drops an ended subscription. */
  private void reap(Subscription s) {
    if (s.ended()) {
      forget(s);
    }
  }

  private void forget(Subscription s) {
    synchronized (this) {
      if (!subscriptions.remove(s.id(), s)) {
        return;
      }
      for (String node : s.unfinishedNodes()) {
        NodeStream stream = listeners.get(node);
        if (stream != null) {
          stream.send(s.closeMessage());
        }
      }
    }
  }

  private void checkLeadership() {
    try {
      boolean now = leading.getAsBoolean();
      if (wasLeading && !now) {
        stopLeading();
      }
      wasLeading = now;
    } catch (RuntimeException e) {
      LOG.warn("log broker leadership check failed: {}", e.toString());
    }
  }

  /** Nodes follow the new leader; subscribers must ask again there. */
  private void stopLeading() {
    List<Subscription> subs;
    List<NodeStream> streams;
    synchronized (this) {
      subs = List.copyOf(subscriptions.values());
      subscriptions.clear();
      streams = List.copyOf(listeners.values());
      listeners.clear();
    }
    Status status =
        Status.UNAVAILABLE.withDescription(
            "the manager reading the logs stopped leading the " + "cluster; run the command again");
    subs.forEach(s -> s.fail(status));
    streams.forEach(
        n -> n.close(Status.UNAVAILABLE.withDescription("this manager is no longer the leader")));
    if (!subs.isEmpty() || !streams.isEmpty()) {
      LOG.info("log broker inactive: not leading; ended {} log stream(s)", subs.size());
    }
  }

  static StatusRuntimeException notLeader() {
    return Status.UNAVAILABLE
        .withDescription("this manager is not the leader; logs are brokered by the leader")
        .asRuntimeException();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    wasLeading = true;
    stopLeading();
  }

  /** A stream observer that drops everything (for a refused call). */
  private static final class Ignored<T> implements StreamObserver<T> {
    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
