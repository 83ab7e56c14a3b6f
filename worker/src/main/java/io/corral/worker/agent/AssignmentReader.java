package io.corral.worker.agent;

import io.corral.api.AssignmentChange;
import io.corral.api.AssignmentsMessage;
import io.corral.api.AssignmentsRequest;
import io.corral.api.DispatcherGrpc;
import io.corral.api.Task;
import io.corral.common.NamedThreads;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one session's assignment stream and hands each message to the node's task set: the complete
 * set first, then incremental changes. A message that does not follow the previous one (a gap)
 * reopens the stream, which starts again with a complete set.
 */
final class AssignmentReader {

  private static final Logger LOG = LoggerFactory.getLogger(AssignmentReader.class);

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
      Channel channel, String sessionId, Context.CancellableContext session, Sink sink) {
    NamedThreads.daemonThread(
            () -> {
              while (!session.isCancelled()) {
                try {
                  session.run(() -> readOnce(channel, sessionId, session, sink));
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
      Channel channel, String sessionId, Context.CancellableContext session, Sink sink) {
    Iterator<AssignmentsMessage> messages =
        DispatcherGrpc.newBlockingStub(channel)
            .assignments(AssignmentsRequest.newBuilder().setSessionId(sessionId).build());
    String last = null;
    while (!session.isCancelled() && messages.hasNext()) {
      AssignmentsMessage m = messages.next();
      if (m.getType() == AssignmentsMessage.Type.COMPLETE) {
        sink.replaceAll(m.getChangesList().stream().map(c -> c.getAssignment().getTask()).toList());
      } else if (last == null || !last.equals(m.getAppliesTo())) {
        LOG.info(
            "assignment message applies to {} but the last one was {}; reopening",
            m.getAppliesTo(),
            last);
        return;
      } else {
        List<Task> updated = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (AssignmentChange c : m.getChangesList()) {
          if (!c.getAssignment().hasTask()) {
            continue; // secrets, configs and networks come with later issues
          }
          if (c.getAction() == AssignmentChange.AssignmentAction.REMOVE) {
            removed.add(c.getAssignment().getTask().getId());
          } else {
            updated.add(c.getAssignment().getTask());
          }
        }
        sink.change(updated, removed);
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
