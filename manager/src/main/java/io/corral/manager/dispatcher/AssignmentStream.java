package io.corral.manager.dispatcher;

import io.corral.api.Assignment;
import io.corral.api.AssignmentChange;
import io.corral.api.AssignmentsMessage;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One node's assignment stream: the complete set of its tasks and service endpoints first, then
 * incremental changes. Remembers what it sent, so the {@link AssignmentHub} that drives it (on its
 * one thread) only has to say what the node should have now. Closing is thread-safe.
 */
final class AssignmentStream implements AutoCloseable {

  /**
   * Incremental changes are split into messages of about this size: an agent's channel takes at
   * most 4 MiB per message by default (a complete set is one message whatever its size).
   */
  static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final String nodeId;
  private final StreamObserver<AssignmentsMessage> out;
  private final AssignmentHub hub;

  /** Task id → version sent. */
  private final Map<String, Long> sentTasks = new HashMap<>();

  /** Service endpoints sent, as sent. */
  private final Map<EndpointIndex.Key, ServiceEndpoints> sentEndpoints = new HashMap<>();

  private volatile boolean closed;
  private long sequence;

  AssignmentStream(AssignmentHub hub, String nodeId, StreamObserver<AssignmentsMessage> out) {
    this.hub = hub;
    this.nodeId = nodeId;
    this.out = out;
  }

  /** Hands the stream to the hub, which sends the complete set next. */
  AssignmentStream start() {
    hub.add(this);
    return this;
  }

  String nodeId() {
    return nodeId;
  }

  boolean isClosed() {
    return closed;
  }

  /** Sends the whole set, forgetting what was sent before. */
  void sendComplete(List<Task> tasks, Map<EndpointIndex.Key, ServiceEndpoints> endpoints) {
    sentTasks.clear();
    sentEndpoints.clear();
    AssignmentsMessage.Builder m = message(AssignmentsMessage.Type.COMPLETE);
    // Endpoints first: the agent applies them before it acts on the tasks.
    endpoints.forEach(
        (k, e) -> {
          sentEndpoints.put(k, e);
          m.addChanges(Assignments.update(e));
        });
    for (Task t : tasks) {
      sentTasks.put(t.getId(), t.getMeta().getVersion());
      m.addChanges(Assignments.update(t));
    }
    send(m);
  }

  /**
   * The change that brings the node's entry for the pair to {@code wanted} (null: the node must not
   * have it), or empty when it has it already.
   */
  Optional<AssignmentChange> endpoint(EndpointIndex.Key key, ServiceEndpoints wanted) {
    ServiceEndpoints had = sentEndpoints.get(key);
    if (Objects.equals(had, wanted)) {
      return Optional.empty();
    }
    if (wanted == null) {
      sentEndpoints.remove(key);
      return Optional.of(
          AssignmentChange.newBuilder()
              .setAction(AssignmentChange.AssignmentAction.REMOVE)
              .setAssignment(
                  Assignment.newBuilder()
                      .setServiceEndpoints(
                          ServiceEndpoints.newBuilder()
                              .setServiceId(key.serviceId())
                              .setNetworkId(key.networkId())))
              .build());
    }
    sentEndpoints.put(key, wanted);
    return Optional.of(Assignments.update(wanted));
  }

  /** The pairs sent on one network. */
  Collection<EndpointIndex.Key> sentOn(String networkId) {
    return sentEndpoints.keySet().stream().filter(k -> k.networkId().equals(networkId)).toList();
  }

  /** The change that brings the node's copy of the task to {@code now} (null: deleted). */
  Optional<AssignmentChange> task(String taskId, Task now) {
    return Assignments.change(taskId, now, nodeId, sentTasks);
  }

  /**
   * Sends changes as incremental messages, in order, each under {@link #MAX_MESSAGE_BYTES} unless a
   * single change is larger (nothing when there are none).
   */
  void sendChanges(List<AssignmentChange> changes) {
    AssignmentsMessage.Builder m = null;
    int size = 0;
    for (AssignmentChange c : changes) {
      int bytes = c.getSerializedSize();
      if (m != null && size + bytes > MAX_MESSAGE_BYTES) {
        send(m);
        m = null;
      }
      if (m == null) {
        m = message(AssignmentsMessage.Type.INCREMENTAL);
        size = 0;
      }
      m.addChanges(c);
      size += bytes;
    }
    if (m != null) {
      send(m);
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
      if (closed) {
        return;
      }
      try {
        out.onNext(m.build());
      } catch (RuntimeException e) {
        // The peer is gone (cancelled call); the hub drops the stream.
        closed = true;
      }
    }
  }

  /** Ends the stream with the status (e.g. the session ended, or the stream fell behind). */
  void close(Status status) {
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

  @Override
  public void close() {
    close(Status.CANCELLED.withDescription("assignment stream closed"));
  }
}
