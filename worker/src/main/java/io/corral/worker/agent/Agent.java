package io.corral.worker.agent;

import io.corral.api.DispatcherGrpc;
import io.corral.api.HeartbeatRequest;
import io.corral.api.HeartbeatResponse;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.SessionMessage;
import io.corral.api.SessionRequest;
import io.corral.api.WeightedPeer;
import io.corral.common.NamedThreads;
import io.corral.common.ProtoTime;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's session with the cluster: keeps one session open with the leader's dispatcher
 * (following the leader through failovers, trying every known manager), heartbeats at the period
 * the dispatcher asks for, and hands each update of this node and of the manager list to its
 * listener.
 */
public final class Agent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static final Metadata.Key<String> LEADER_ADDR =
      Metadata.Key.of("corral-leader-addr", Metadata.ASCII_STRING_MARSHALLER);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  /** What the agent tells its owner. */
  public interface Listener {
    /** This node as the managers see it (role, availability…), on every change. */
    void onNode(Node node);

    /** The cluster API addresses of the managers, on every change. */
    void onManagers(List<String> addrs);

    /** A dispatcher refused this node for good (removed from the cluster). */
    void onRejected(String reason);
  }

  /**
   * Work bound to one session: it starts when the session opens and must stop when its context is
   * cancelled.
   */
  public interface SessionWork {
    void sessionStarted(
        ManagedChannel channel, String sessionId, Context.CancellableContext session);

    void sessionEnded(String sessionId);
  }

  private static final SessionWork NO_WORK =
      new SessionWork() {
        @Override
        public void sessionStarted(
            ManagedChannel channel, String sessionId, Context.CancellableContext session) {}

        @Override
        public void sessionEnded(String sessionId) {}
      };

  private final Function<String, ManagedChannel> channels;
  private final NodeDescription description;
  private final Listener listener;
  private final SessionWork work;
  private final LinkedHashSet<String> managers;
  private final ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("agent-heartbeat"));
  private final Thread loop;
  private volatile boolean closed;
  private volatile String connectedTo;
  private volatile Context.CancellableContext current;
  private String leaderHint;

  /**
   * @param channels opens an mTLS channel to a manager's cluster API address
   * @param managers cluster API addresses (host:port) to start from
   */
  public Agent(
      Function<String, ManagedChannel> channels,
      NodeDescription description,
      List<String> managers,
      Listener listener) {
    this(channels, description, managers, listener, NO_WORK);
  }

  /**
   * Like the other constructor, with work (task assignments, status reports) run within each
   * session.
   */
  public Agent(
      Function<String, ManagedChannel> channels,
      NodeDescription description,
      List<String> managers,
      Listener listener,
      SessionWork work) {
    this.work = work;
    this.channels = channels;
    this.description = description;
    this.managers = new LinkedHashSet<>(managers);
    this.listener = listener;
    this.loop = NamedThreads.daemonThread(this::run, "agent-session");
  }

  public Agent start() {
    loop.start();
    return this;
  }

  /** The manager the current session runs against, if any. */
  public String connectedTo() {
    return connectedTo;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(100);
    int next = 0;
    while (!closed) {
      String addr;
      synchronized (this) {
        List<String> known = new ArrayList<>(managers);
        if (leaderHint != null) {
          addr = leaderHint;
          leaderHint = null;
        } else if (known.isEmpty()) {
          LOG.error("no manager address known; cannot open a session");
          sleep(MAX_BACKOFF);
          continue;
        } else {
          addr = known.get(next++ % known.size());
        }
      }
      boolean hadSession = runSession(addr);
      if (closed) {
        return;
      }
      backoff = hadSession ? Duration.ofMillis(100) : min(backoff.multipliedBy(2), MAX_BACKOFF);
      sleep(leaderHint != null ? Duration.ofMillis(50) : backoff);
    }
  }

  /** One session against one manager, until it breaks; true if it was established. */
  private boolean runSession(String addr) {
    ManagedChannel channel = null;
    Context.CancellableContext ctx = Context.current().withCancellation();
    current = ctx;
    boolean established = false;
    String sessionId = null;
    try {
      channel = channels.apply(addr);
      DispatcherGrpc.DispatcherBlockingStub stub = DispatcherGrpc.newBlockingStub(channel);
      ManagedChannel ch = channel;
      Iterator<SessionMessage> messages =
          ctx.call(
              () -> stub.session(SessionRequest.newBuilder().setDescription(description).build()));
      while (!closed && messages.hasNext()) {
        SessionMessage m = messages.next();
        if (!established) {
          established = true;
          connectedTo = addr;
          sessionId = m.getSessionId();
          LOG.info("session {} open with manager {}", m.getSessionId(), addr);
          startHeartbeats(ch, m.getSessionId(), ctx);
          work.sessionStarted(ch, m.getSessionId(), ctx);
        }
        handle(m);
      }
    } catch (StatusRuntimeException e) {
      String leader = e.getTrailers() == null ? null : e.getTrailers().get(LEADER_ADDR);
      if (leader != null && !leader.equals(addr)) {
        synchronized (this) {
          leaderHint = leader;
          managers.add(leader);
        }
      }
      if (e.getStatus().getCode() == Status.Code.PERMISSION_DENIED
          || e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
        listener.onRejected(e.getStatus().getDescription());
      }
      if (!closed) {
        LOG.info("session with {} ended: {}", addr, StatusText.brief(e.getStatus()));
      }
    } catch (Exception e) {
      if (!closed) {
        LOG.info("session with {} failed: {}", addr, e.toString());
      }
    } finally {
      connectedTo = null;
      ctx.cancel(null);
      if (sessionId != null) {
        work.sessionEnded(sessionId);
      }
      if (channel != null) {
        channel.shutdownNow();
      }
    }
    return established;
  }

  /**
   * Heartbeats until the session's context is cancelled; each reply says when to send the next one.
   */
  private void startHeartbeats(
      ManagedChannel channel, String sessionId, Context.CancellableContext session) {
    DispatcherGrpc.DispatcherBlockingStub stub = DispatcherGrpc.newBlockingStub(channel);
    Runnable[] beat = new Runnable[1];
    beat[0] =
        () -> {
          if (session.isCancelled() || closed) {
            return;
          }
          try {
            HeartbeatResponse r =
                stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .heartbeat(HeartbeatRequest.newBuilder().setSessionId(sessionId).build());
            Duration period = ProtoTime.duration(r.getPeriod());
            if (period.isZero()) {
              period = Duration.ofSeconds(5);
            }
            if (!session.isCancelled() && !closed) {
              heartbeats.schedule(beat[0], period.toMillis(), TimeUnit.MILLISECONDS);
            }
          } catch (StatusRuntimeException e) {
            LOG.info(
                "heartbeat refused: {}; reopening the session", StatusText.brief(e.getStatus()));
            session.cancel(e);
          }
        };
    heartbeats.execute(beat[0]);
  }

  private void handle(SessionMessage m) {
    List<String> addrs =
        m.getManagersList().stream()
            .map(WeightedPeer::getPeer)
            .map(p -> p.getAddr())
            .filter(a -> !a.isEmpty())
            .toList();
    if (!addrs.isEmpty()) {
      boolean changed;
      synchronized (this) {
        changed = !new ArrayList<>(managers).equals(addrs);
        managers.clear();
        managers.addAll(addrs);
      }
      if (changed) {
        listener.onManagers(addrs);
      }
    }
    if (m.hasNode()) {
      listener.onNode(m.getNode());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    Context.CancellableContext ctx = current;
    if (ctx != null) {
      ctx.cancel(null);
    }
    loop.interrupt();
    heartbeats.shutdownNow();
  }
}
