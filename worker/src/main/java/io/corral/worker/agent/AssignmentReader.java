package io.corral.worker.agent;

import io.corral.api.Assignment;
import io.corral.api.AssignmentChange;
import io.corral.api.AssignmentsMessage;
import io.corral.api.AssignmentsRequest;
import io.corral.api.DispatcherGrpc;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import io.corral.common.NamedThreads;
import io.corral.worker.network.EndpointTable;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one session's assignment stream and hands each message to the node's task set and its
 * endpoint table: the complete set first, then incremental changes. Service endpoints are applied
 * before the tasks of the same message, so a task being stopped has left DNS and the VIPs when its
 * stop is decided. A message that does not follow the previous one (a gap) reopens the stream,
 * which starts again with a complete set.
 */
final class AssignmentReader {

  private static final Logger LOG = LoggerFactory.getLogger(AssignmentReader.class);

  /**
   * A complete set is one message: with the service endpoints of every network the node is on it
   * can pass gRPC's default 4 MiB (about 3.7 MiB measured for 1,000 nodes, 30,000 tasks on 10
   * networks).
   */
  static final int MAX_MESSAGE_BYTES = 64 << 20;

  /** Where assignments go. */
  interface Sink {
    /** The whole set: tasks not in it are no longer this node's. */
    void replaceAll(List<Task> tasks);

    /** Changes on top of the previous set. */
    void change(List<Task> updated, List<String> removed);
  }

  private AssignmentReader() {}

  /** Starts a thread that reads until the session's context is cancelled. */
  static void start(
      Channel channel,
      String sessionId,
      Context.CancellableContext session,
      Sink sink,
      EndpointTable endpoints) {
    NamedThreads.daemonThread(
            () -> {
              while (!session.isCancelled()) {
                try {
                  session.run(() -> readOnce(channel, sessionId, session, sink, endpoints));
                } catch (StatusRuntimeException e) {
                  if (!session.isCancelled()) {
                    LOG.info(
                        "assignment stream ended: {}; reopening", StatusText.brief(e.getStatus()));
                    sleepQuietly(200);
                  }
                }
              }
            },
            "assignments-" + sessionId)
        .start();
  }

  private static void readOnce(
      Channel channel,
      String sessionId,
      Context.CancellableContext session,
      Sink sink,
      EndpointTable endpoints) {
    Iterator<AssignmentsMessage> messages =
        DispatcherGrpc.newBlockingStub(channel)
            .withMaxInboundMessageSize(MAX_MESSAGE_BYTES)
            .assignments(AssignmentsRequest.newBuilder().setSessionId(sessionId).build());
    String last = null;
    while (!session.isCancelled() && messages.hasNext()) {
      AssignmentsMessage m = messages.next();
      if (m.getType() != AssignmentsMessage.Type.COMPLETE
          && (last == null || !last.equals(m.getAppliesTo()))) {
        LOG.info(
            "assignment message applies to {} but the last one was {}; reopening",
            m.getAppliesTo(),
            last);
        return;
      }
      List<Task> tasks = new ArrayList<>();
      List<String> removedTasks = new ArrayList<>();
      List<ServiceEndpoints> services = new ArrayList<>();
      List<EndpointTable.Key> removedServices = new ArrayList<>();
      for (AssignmentChange c : m.getChangesList()) {
        boolean remove = c.getAction() == AssignmentChange.AssignmentAction.REMOVE;
        Assignment a = c.getAssignment();
        if (a.hasTask()) {
          if (remove) {
            removedTasks.add(a.getTask().getId());
          } else {
            tasks.add(a.getTask());
          }
        } else if (a.hasServiceEndpoints()) {
          if (remove) {
            removedServices.add(EndpointTable.Key.of(a.getServiceEndpoints()));
          } else {
            services.add(a.getServiceEndpoints());
          }
        }
        // secrets, configs and networks come with later issues
      }
      if (m.getType() == AssignmentsMessage.Type.COMPLETE) {
        endpoints.replaceAll(services);
        sink.replaceAll(tasks);
      } else {
        endpoints.change(services, removedServices);
        sink.change(tasks, removedTasks);
      }
      last = m.getResultsIn();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
