package io.corral.manager.dispatcher;

import io.corral.api.AssignmentChange;
import io.corral.api.AssignmentsMessage;
import io.corral.api.Task;
import io.corral.common.NamedThreads;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreEvent;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.Watch;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's assignment stream: the complete set of its tasks first, then incremental changes as
 * they commit, several changes per message when they come together. Runs on its own thread until
 * closed.
 */
final class AssignmentStream implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AssignmentStream.class);

  /**
   * How long to gather changes that commit together (a scale of 40 tasks is one message, not 40).
   */
  private static final Duration BATCH_WINDOW = Duration.ofMillis(50);

  private final Store store;
  private final String nodeId;
  private final StreamObserver<AssignmentsMessage> out;
  private final Thread thread;
  private volatile boolean closed;
  private long sequence;

  AssignmentStream(Store store, String nodeId, StreamObserver<AssignmentsMessage> out) {
    this.store = store;
    this.nodeId = nodeId;
    this.out = out;
    this.thread = NamedThreads.daemonThread(this::run, "assignments-" + nodeId);
  }

  AssignmentStream start() {
    thread.start();
    return this;
  }

  private void run() {
    Map<String, Long> sent = new HashMap<>();
    Store.Snapshot<List<Task>> start =
        store.viewAndWatch(
            tx -> tx.find(ObjectKind.TASK, t -> Assignments.isAssignedTo(t, nodeId)),
            e -> e.is(ObjectKind.TASK));
    try (Watch watch = start.watch()) {
      AssignmentsMessage.Builder complete = message(AssignmentsMessage.Type.COMPLETE);
      for (Task t : start.value()) {
        sent.put(t.getId(), t.getMeta().getVersion());
        complete.addChanges(Assignments.update(t));
      }
      send(complete);
      while (!closed) {
        StoreEvent first = watch.poll(Duration.ofSeconds(1));
        if (first == null) {
          continue;
        }
        List<AssignmentChange> changes = new ArrayList<>();
        Assignments.change(first, nodeId, sent).ifPresent(changes::add);
        StoreEvent more;
        while ((more = watch.poll(BATCH_WINDOW)) != null) {
          Assignments.change(more, nodeId, sent).ifPresent(changes::add);
        }
        if (!changes.isEmpty()) {
          send(message(AssignmentsMessage.Type.INCREMENTAL).addAllChanges(changes));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StoreException e) {
      // The watch fell behind or the store closed: the agent reopens the stream and gets a complete
      // set.
      fail(Status.UNAVAILABLE.withDescription("assignment stream interrupted: " + e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("assignment stream of node {} failed: {}", nodeId, e.toString());
      fail(Status.INTERNAL.withDescription("assignment stream failed: " + e.getMessage()));
    }
  }

  private AssignmentsMessage.Builder message(AssignmentsMessage.Type type) {
    String appliesTo = sequence == 0 ? "" : Long.toString(sequence);
    sequence++;
    return AssignmentsMessage.newBuilder()
        .setType(type)
        .setAppliesTo(appliesTo)
        .setResultsIn(Long.toString(sequence));
  }

  private void send(AssignmentsMessage.Builder m) {
    synchronized (out) {
      if (!closed) {
        out.onNext(m.build());
      }
    }
  }

  private void fail(Status status) {
    synchronized (out) {
      if (!closed) {
        closed = true;
        try {
          out.onError(status.asRuntimeException());
        } catch (RuntimeException ignored) {
          // the peer is gone already
        }
      }
    }
  }

  /** Ends the stream with the status (e.g. the session ended). */
  void close(Status status) {
    fail(status);
    thread.interrupt();
  }

  @Override
  public void close() {
    close(Status.CANCELLED.withDescription("assignment stream closed"));
  }
}
