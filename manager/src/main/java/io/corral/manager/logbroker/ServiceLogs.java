package io.corral.manager.logbroker;

import io.corral.api.LogMessage;
import io.corral.api.LogSelector;
import io.corral.api.Node;
import io.corral.api.ServiceLogsRequest;
import io.corral.api.Task;
import io.corral.common.NamedThreads;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.RaftView;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreEvent;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.Watch;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Control.ServiceLogs: resolves the selector to the nodes concerned, subscribes with the leader's
 * broker and streams the lines back. Without follow the stream ends once every node has sent its
 * past lines (nodes that are not connected are given up after a grace period, and named in a final
 * DATA_LOSS "warning: incomplete log stream" status); with follow it goes on, taking in nodes where
 * selected tasks appear, until the caller cancels. On a manager that does not lead, the call is
 * relayed to the leader.
 */
public final class ServiceLogs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceLogs.class);

  /** The status code that ends a stream whose lines are complete except for the nodes it names. */
  public static final Status.Code INCOMPLETE = Status.Code.DATA_LOSS;

  private final Store store;
  private final RaftView raft;
  private final LogBroker broker;
  private final LeaderForwarder forwarder;
  private final ExecutorService followers =
      Executors.newCachedThreadPool(NamedThreads.daemon("service-logs-follow"));

  public ServiceLogs(Store store, RaftView raft, LogBroker broker, LeaderForwarder forwarder) {
    this.store = store;
    this.raft = raft;
    this.broker = broker;
    this.forwarder = forwarder;
  }

  /** Serves one Control.ServiceLogs call. */
  public void serve(ServiceLogsRequest request, StreamObserver<LogMessage> out) {
    ServerCallStreamObserver<LogMessage> call = (ServerCallStreamObserver<LogMessage>) out;
    if (!raft.isLeader()) {
      if (ForwardedCall.isCurrent()) {
        // Forwarded to us as the leader, but we no longer lead: do not bounce it on.
        out.onError(
            Status.UNAVAILABLE
                .withDescription("leadership is changing; retry in a moment")
                .asRuntimeException());
      } else {
        forwarder.forward(request, call);
      }
      return;
    }
    if (request.getOptions().hasTail() && request.getOptions().getTail() < 0) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription(
                  "tail must be 0 or more lines, not "
                      + request.getOptions().getTail()
                      + " (leave it unset for all lines)")
              .asRuntimeException());
      return;
    }
    LogSelector selector = request.getSelector();
    boolean follow = request.getOptions().getFollow();
    CallerStream caller = new CallerStream(call);
    Subscription s =
        new Subscription(UUID.randomUUID().toString(), selector, request.getOptions(), caller);
    Watch watch = null;
    try {
      Set<String> nodes;
      if (follow) {
        Store.Snapshot<Set<String>> snap =
            store.viewAndWatch(
                tx -> LogSelection.nodes(tx, selector, true), e -> e.is(ObjectKind.TASK));
        nodes = snap.value();
        watch = snap.watch();
      } else {
        nodes = store.view(tx -> LogSelection.nodes(tx, selector, false));
      }
      nodes.forEach(s::addNode);
      Watch w = watch;
      call.setOnCancelHandler(
          () -> {
            broker.unsubscribe(s);
            caller.release();
            if (w != null) {
              w.close();
            }
          });
      broker.subscribe(s);
      if (follow) {
        followers.execute(() -> follow(s, selector, w));
      }
    } catch (StatusRuntimeException e) {
      closeQuietly(watch);
      out.onError(e);
    } catch (StoreException e) {
      closeQuietly(watch);
      out.onError(
          Status.UNAVAILABLE
              .withDescription("cannot read the tasks to get logs from: " + e.getMessage())
              .asRuntimeException());
    }
  }

  /** Takes in the nodes where selected tasks appear, until the subscription ends. */
  private void follow(Subscription s, LogSelector selector, Watch first) {
    Watch watch = first;
    try {
      while (!s.ended()) {
        try {
          StoreEvent e = watch.poll(Duration.ofMillis(500));
          if (e != null && e.type() != StoreEvent.Type.DELETE) {
            e.as(ObjectKind.TASK)
                .filter(t -> LogSelection.selects(selector, t))
                .ifPresent(t -> broker.addNode(s, t.getNodeId()));
          }
        } catch (StoreException e) {
          // The watch fell behind (or the store closed): read again and watch from there.
          watch.close();
          if (s.ended()) {
            return;
          }
          Store.Snapshot<List<Task>> snap =
              store.viewAndWatch(tx -> tx.list(ObjectKind.TASK), ev -> ev.is(ObjectKind.TASK));
          watch = snap.watch();
          snap.value().stream()
              .filter(t -> LogSelection.selects(selector, t))
              .forEach(t -> broker.addNode(s, t.getNodeId()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("following tasks for log subscription {} failed: {}", s.id(), e.toString());
      s.fail(Status.INTERNAL.withDescription("following new tasks failed: " + e));
      broker.unsubscribe(s);
    } finally {
      watch.close();
    }
  }

  /**
   * The warning that ends an incomplete stream, naming nodes by hostname as `docker service logs`
   * does.
   */
  String incompleteWarning(List<NodeProblem> problems) {
    String reasons =
        problems.stream()
            .map(p -> "node " + nodeName(p.nodeId()) + ": " + p.reason())
            .collect(Collectors.joining(", "));
    return "warning: incomplete log stream. some logs could not be retrieved for the following reasons: "
        + reasons;
  }

  private String nodeName(String nodeId) {
    return store
        .view(tx -> tx.get(ObjectKind.NODE, nodeId))
        .map(Node::getDescription)
        .map(d -> d.getHostname())
        .filter(h -> !h.isEmpty())
        .map(h -> h + " (" + nodeId + ")")
        .orElse(nodeId);
  }

  /**
   * Writes a subscription's lines and its end to the Control.ServiceLogs caller, at the caller's
   * pace.
   */
  private final class CallerStream implements LogSink {

    private final ServerCallStreamObserver<LogMessage> call;

    /** Node reads paused until the caller can take more. */
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    private volatile boolean over;

    CallerStream(ServerCallStreamObserver<LogMessage> call) {
      this.call = call;
      call.setOnReadyHandler(this::drain);
    }

    @Override
    public void whenReady(Runnable next) {
      if (over || call.isReady()) {
        next.run();
        return;
      }
      waiting.add(next);
      if (call.isReady()) {
        drain(); // became ready between the check and the add
      }
    }

    private void drain() {
      Runnable next;
      while ((over || call.isReady()) && (next = waiting.poll()) != null) {
        next.run();
      }
    }

    /**
     * The call is over: nodes are read again (their late lines dropped), so that they can finish.
     */
    void release() {
      over = true;
      drain();
    }

    @Override
    public void send(List<LogMessage> messages) {
      try {
        messages.forEach(call::onNext);
      } catch (RuntimeException e) {
        LOG.debug("log caller went away: {}", e.toString());
      }
    }

    @Override
    public void end(List<NodeProblem> problems) {
      try {
        if (problems.isEmpty()) {
          call.onCompleted();
        } else {
          call.onError(
              Status.fromCode(INCOMPLETE)
                  .withDescription(incompleteWarning(problems))
                  .asRuntimeException());
        }
      } catch (RuntimeException e) {
        LOG.debug("log caller went away: {}", e.toString());
      }
      release();
    }

    @Override
    public void fail(Status status) {
      try {
        call.onError(status.asRuntimeException());
      } catch (RuntimeException e) {
        LOG.debug("log caller went away: {}", e.toString());
      }
      release();
    }
  }

  private static void closeQuietly(Watch w) {
    if (w != null) {
      w.close();
    }
  }

  @Override
  public void close() {
    followers.shutdownNow();
    forwarder.close();
  }
}
