package io.corral.manager.dispatcher;

import io.corral.api.AssignmentsMessage;
import io.corral.api.AssignmentsRequest;
import io.corral.api.Cluster;
import io.corral.api.DispatcherGrpc;
import io.corral.api.HeartbeatRequest;
import io.corral.api.HeartbeatResponse;
import io.corral.api.Node;
import io.corral.api.NodeRole;
import io.corral.api.NodeStatus;
import io.corral.api.Peer;
import io.corral.api.SessionMessage;
import io.corral.api.SessionRequest;
import io.corral.api.UpdateTaskStatusRequest;
import io.corral.api.UpdateTaskStatusResponse;
import io.corral.api.WeightedPeer;
import io.corral.common.NamedThreads;
import io.corral.common.ProtoTime;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.RaftView;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreEvent;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.Watch;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's end of every node's session: accepts sessions, tracks heartbeats, marks nodes Ready
 * and Down, and tells nodes about changes to themselves and to the set of managers; each node's
 * assignment stream (its tasks and the service endpoints of its networks) is fed by an {@link
 * AssignmentHub}. On a follower it refuses sessions and names the leader's address, so agents
 * follow the leader.
 */
public final class Dispatcher extends DispatcherGrpc.DispatcherImplBase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** Trailer naming the leader's cluster API address when a follower refuses a session. */
  public static final Metadata.Key<String> LEADER_ADDR =
      Metadata.Key.of("corral-leader-addr", Metadata.ASCII_STRING_MARSHALLER);

  static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

  private final Store store;
  private final RaftView raft;
  private final Supplier<String> callerNodeId;
  private final Clock clock;
  private final NodeLiveness liveness = new NodeLiveness();
  private final Map<String, Session> sessions = new HashMap<>();
  private final Map<String, AssignmentStream> assignmentStreams = new HashMap<>();

  /** Feeds the assignment streams while this manager leads; null otherwise. */
  private AssignmentHub hub;

  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("dispatcher"));
  private final Thread watcher;
  private volatile boolean leading;
  private volatile boolean closed;

  /** One open session: the node it belongs to and the stream its messages go to. */
  private record Session(String id, String nodeId, StreamObserver<SessionMessage> out) {}

  /**
   * @param callerNodeId the node id of the certificate that made the current call (throws if there
   *     is none)
   */
  public Dispatcher(Store store, RaftView raft, Supplier<String> callerNodeId, Clock clock) {
    this.store = store;
    this.raft = raft;
    this.callerNodeId = callerNodeId;
    this.clock = clock;
    ticker.scheduleWithFixedDelay(this::tick, 0, 250, TimeUnit.MILLISECONDS);
    watcher = NamedThreads.daemonThread(this::watchNodes, "dispatcher-watch");
    watcher.start();
  }

  @Override
  public void session(SessionRequest request, StreamObserver<SessionMessage> out) {
    String nodeId = callerNodeId.get();
    if (!leading) {
      refuseNotLeader(out);
      return;
    }
    Optional<Node> known = store.view(tx -> tx.get(ObjectKind.NODE, nodeId));
    if (known.isEmpty()) {
      out.onError(
          Status.PERMISSION_DENIED
              .withDescription(
                  "node "
                      + nodeId
                      + " is not part of this cluster (removed?); it must join again with a new token")
              .asRuntimeException());
      return;
    }
    String remoteIp = RemoteAddress.ofCurrentCall().orElse("");
    Node node;
    try {
      node =
          updateNode(
              nodeId,
              n -> {
                Node.Builder b =
                    n.toBuilder()
                        .setStatus(
                            NodeStatus.newBuilder()
                                .setState(NodeStatus.State.READY)
                                .setAddr(remoteIp.isEmpty() ? n.getStatus().getAddr() : remoteIp));
                if (request.hasDescription()) {
                  b.setDescription(request.getDescription());
                }
                return b.build();
              });
    } catch (StoreException e) {
      out.onError(
          Status.UNAVAILABLE
              .withDescription("could not record the session: " + e.getMessage())
              .asRuntimeException());
      return;
    }
    Session session = new Session(UUID.randomUUID().toString(), nodeId, out);
    Session previous;
    synchronized (this) {
      previous = sessions.put(nodeId, session);
      liveness.heard(nodeId, clock.instant());
    }
    if (previous != null) {
      closeQuietly(
          previous,
          Status.CANCELLED.withDescription("replaced by a newer session of the same node"));
    }
    if (out instanceof ServerCallStreamObserver<SessionMessage> call) {
      call.setOnCancelHandler(() -> dropSession(session));
    }
    LOG.info("session {} opened by node {} ({})", session.id(), nodeId, remoteIp);
    send(session, node);
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
    String nodeId = callerNodeId.get();
    synchronized (this) {
      if (!hasSession(nodeId, request.getSessionId())) {
        out.onError(sessionNotOpen(request.getSessionId()));
        return;
      }
      liveness.heard(nodeId, clock.instant());
    }
    Duration period = period();
    out.onNext(HeartbeatResponse.newBuilder().setPeriod(ProtoTime.protoDuration(period)).build());
    out.onCompleted();
  }

  @Override
  public void assignments(AssignmentsRequest request, StreamObserver<AssignmentsMessage> out) {
    String nodeId = callerNodeId.get();
    AssignmentStream stream;
    AssignmentStream previous;
    synchronized (this) {
      if (!hasSession(nodeId, request.getSessionId())) {
        out.onError(sessionNotOpen(request.getSessionId()));
        return;
      }
      stream = new AssignmentStream(hub, nodeId, out);
      previous = assignmentStreams.put(nodeId, stream);
    }
    if (previous != null) {
      previous.close(
          Status.CANCELLED.withDescription(
              "replaced by a newer assignment stream of the same node"));
    }
    if (out instanceof ServerCallStreamObserver<AssignmentsMessage> call) {
      call.setOnCancelHandler(
          () -> {
            synchronized (this) {
              assignmentStreams.remove(nodeId, stream);
            }
            stream.close();
          });
    }
    stream.start();
  }

  @Override
  public void updateTaskStatus(
      UpdateTaskStatusRequest request, StreamObserver<UpdateTaskStatusResponse> out) {
    String nodeId = callerNodeId.get();
    synchronized (this) {
      if (!hasSession(nodeId, request.getSessionId())) {
        out.onError(sessionNotOpen(request.getSessionId()));
        return;
      }
    }
    try {
      TaskStatusUpdates.write(
          store, nodeId, request.getUpdatesList(), raft.selfId(), clock.instant());
    } catch (StoreException e) {
      out.onError(
          Status.UNAVAILABLE
              .withDescription("could not record task status: " + e.getMessage())
              .asRuntimeException());
      return;
    }
    out.onNext(UpdateTaskStatusResponse.getDefaultInstance());
    out.onCompleted();
  }

  private boolean hasSession(String nodeId, String sessionId) {
    Session s = sessions.get(nodeId);
    return leading && s != null && s.id().equals(sessionId);
  }

  private static io.grpc.StatusRuntimeException sessionNotOpen(String sessionId) {
    return Status.NOT_FOUND
        .withDescription(
            "session " + sessionId + " is not open on this manager; open a new session")
        .asRuntimeException();
  }

  private void refuseNotLeader(StreamObserver<?> out) {
    Metadata trailers = new Metadata();
    String leader = leaderApiAddr().orElse("");
    if (!leader.isEmpty()) {
      trailers.put(LEADER_ADDR, leader);
    }
    out.onError(
        Status.UNAVAILABLE
            .withDescription(
                "this manager is not the leader"
                    + (leader.isEmpty()
                        ? "; no leader is known yet"
                        : "; the leader is at " + leader))
            .asRuntimeException(trailers));
  }

  private Optional<String> leaderApiAddr() {
    return raft.leaderId()
        .flatMap(id -> store.view(tx -> tx.get(ObjectKind.NODE, id)))
        .map(n -> n.getManagerStatus().getApiAddr())
        .filter(a -> !a.isEmpty());
  }

  /** The heartbeat period agents must keep, from the cluster spec. */
  Duration period() {
    return store.view(tx -> tx.list(ObjectKind.CLUSTER)).stream()
        .findFirst()
        .filter(c -> c.getSpec().getDispatcher().hasHeartbeatPeriod())
        .map(c -> c.getSpec().getDispatcher().getHeartbeatPeriod())
        .map(ProtoTime::duration)
        .filter(d -> !d.isZero() && !d.isNegative())
        .orElse(DEFAULT_PERIOD);
  }

  private void tick() {
    try {
      boolean nowLeading = raft.isLeader();
      if (nowLeading && !leading) {
        startLeading();
      } else if (!nowLeading && leading) {
        stopLeading();
      }
      if (leading) {
        List<String> expired;
        synchronized (this) {
          expired = liveness.expire(clock.instant(), period());
        }
        for (String nodeId : expired) {
          markDown(nodeId);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("dispatcher tick failed: {}", e.toString());
    }
  }

  /**
   * A new leader knows nothing of heartbeats sent to the old one: every node not already down gets
   * the full grace period to open a session here before it is marked down.
   */
  private void startLeading() {
    Instant now = clock.instant();
    List<Node> nodes = store.view(tx -> tx.list(ObjectKind.NODE));
    synchronized (this) {
      hub = new AssignmentHub(store).start();
      for (Node n : nodes) {
        if (n.getStatus().getState() != NodeStatus.State.DOWN) {
          liveness.heard(n.getId(), now);
        }
      }
      leading = true;
    }
    LOG.info("dispatcher active: this manager leads");
  }

  private void stopLeading() {
    List<Session> open;
    List<AssignmentStream> streams;
    AssignmentHub stopped;
    synchronized (this) {
      leading = false;
      stopped = hub;
      hub = null;
      open = List.copyOf(sessions.values());
      sessions.clear();
      streams = List.copyOf(assignmentStreams.values());
      assignmentStreams.clear();
      for (Session s : open) {
        liveness.forget(s.nodeId());
      }
    }
    for (Session s : open) {
      closeQuietly(s, Status.UNAVAILABLE.withDescription("this manager is no longer the leader"));
    }
    streams.forEach(
        a -> a.close(Status.UNAVAILABLE.withDescription("this manager is no longer the leader")));
    if (stopped != null) {
      stopped.close();
    }
    LOG.info("dispatcher inactive: this manager no longer leads");
  }

  private void markDown(String nodeId) {
    Session s;
    AssignmentStream a;
    synchronized (this) {
      s = sessions.remove(nodeId);
      a = assignmentStreams.remove(nodeId);
    }
    if (a != null) {
      a.close(Status.UNAVAILABLE.withDescription("heartbeat failure"));
    }
    if (s != null) {
      closeQuietly(
          s,
          Status.UNAVAILABLE.withDescription(
              "heartbeat failure: no heartbeat for "
                  + NodeLiveness.MISSED_HEARTBEATS
                  + " periods"));
    }
    try {
      updateNode(
          nodeId,
          n ->
              n.toBuilder()
                  .setStatus(
                      n.getStatus().toBuilder()
                          .setState(NodeStatus.State.DOWN)
                          .setMessage("heartbeat failure"))
                  .build());
      LOG.info(
          "node {} is down: no heartbeat for {} periods", nodeId, NodeLiveness.MISSED_HEARTBEATS);
    } catch (StoreException e) {
      if (e.code() != StoreException.Code.NOT_FOUND) {
        // Try again on the next tick.
        synchronized (this) {
          liveness.heard(
              nodeId, clock.instant().minus(period().multipliedBy(NodeLiveness.MISSED_HEARTBEATS)));
        }
        LOG.warn("could not mark node {} down: {}", nodeId, e.getMessage());
      }
    }
  }

  private void dropSession(Session session) {
    synchronized (this) {
      // The node stays Ready until its heartbeats stop for good: a quick reconnect is not an
      // outage.
      sessions.remove(session.nodeId(), session);
    }
  }

  /**
   * Re-sends the session message to nodes whose object changed, and to everyone when the managers
   * changed.
   */
  private void watchNodes() {
    while (!closed) {
      try (Watch watch = store.watch(e -> e.is(ObjectKind.NODE))) {
        while (!closed) {
          StoreEvent event = watch.poll(Duration.ofSeconds(1));
          if (event == null) {
            continue;
          }
          Node node = (Node) event.object();
          Node before = (Node) event.previous();
          boolean managersChanged =
              before == null
                  || event.type() == StoreEvent.Type.DELETE
                  || before.getRole() != node.getRole()
                  || !before
                      .getManagerStatus()
                      .getApiAddr()
                      .equals(node.getManagerStatus().getApiAddr());
          List<Session> targets;
          synchronized (this) {
            targets =
                managersChanged
                    ? List.copyOf(sessions.values())
                    : Optional.ofNullable(sessions.get(node.getId())).stream().toList();
          }
          for (Session s : targets) {
            if (event.type() == StoreEvent.Type.DELETE && s.nodeId().equals(node.getId())) {
              closeQuietly(
                  s,
                  Status.PERMISSION_DENIED.withDescription(
                      "node " + node.getId() + " was removed from the cluster"));
              continue;
            }
            store.view(tx -> tx.get(ObjectKind.NODE, s.nodeId())).ifPresent(n -> send(s, n));
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (StoreException e) {
        if (closed) {
          return;
        }
        LOG.debug("node watch closed ({}); watching again", e.getMessage());
      }
    }
  }

  private void send(Session session, Node node) {
    SessionMessage.Builder m = SessionMessage.newBuilder().setSessionId(session.id()).setNode(node);
    List<Node> managers =
        store.view(tx -> tx.find(ObjectKind.NODE, n -> n.getRole() == NodeRole.MANAGER));
    for (Node mgr : managers) {
      if (!mgr.getManagerStatus().getApiAddr().isEmpty()) {
        m.addManagers(
            WeightedPeer.newBuilder()
                .setWeight(1)
                .setPeer(
                    Peer.newBuilder()
                        .setNodeId(mgr.getId())
                        .setAddr(mgr.getManagerStatus().getApiAddr())));
      }
    }
    store.view(tx -> tx.list(ObjectKind.CLUSTER)).stream()
        .findFirst()
        .map(Cluster::getRootCa)
        .ifPresent(ca -> m.setRootCa(ca.getCaCert()));
    try {
      synchronized (session) {
        session.out().onNext(m.build());
      }
    } catch (RuntimeException e) {
      dropSession(session);
    }
  }

  private Node updateNode(String nodeId, UnaryOperator<Node> change) {
    StoreException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        Node[] out = new Node[1];
        store.update(
            tx -> {
              Node n =
                  tx.get(ObjectKind.NODE, nodeId)
                      .orElseThrow(
                          () ->
                              new StoreException(
                                  StoreException.Code.NOT_FOUND, "node " + nodeId + " not found"));
              out[0] = change.apply(n);
              tx.update(out[0]);
            });
        return store.view(tx -> tx.get(ObjectKind.NODE, nodeId)).orElse(out[0]);
      } catch (StoreException e) {
        if (e.code() != StoreException.Code.VERSION_CONFLICT) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  private static void closeQuietly(Session s, Status status) {
    try {
      synchronized (s) {
        s.out().onError(status.asRuntimeException());
      }
    } catch (RuntimeException ignored) {
      // already closed by the peer
    }
  }

  @Override
  public void close() {
    closed = true;
    ticker.shutdownNow();
    watcher.interrupt();
    stopLeading();
  }
}
