package io.corral.worker.agent;

import io.corral.api.DispatcherGrpc;
import io.corral.api.TaskStatus;
import io.corral.api.UpdateTaskStatusRequest;
import io.corral.common.NamedThreads;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends task status changes to the dispatcher in batches. Only the newest status of each task is
 * kept, and nothing is dropped while no session is open: what could not be sent goes with the next
 * session.
 */
public final class StatusReporter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
  private static final int MAX_BATCH = 200;

  private final Map<String, TaskStatus> pending = new LinkedHashMap<>();
  private final Thread thread;
  private Channel channel;
  private String sessionId;
  private volatile boolean closed;

  public StatusReporter() {
    thread = NamedThreads.daemonThread(this::run, "task-status");
    thread.start();
  }

  /** Queues the newest status of a task. */
  public synchronized void report(String taskId, TaskStatus status) {
    pending.remove(taskId);
    pending.put(taskId, status);
    notifyAll();
  }

  /** Sends through this session from now on (null: no session; reports wait). */
  public synchronized void useSession(Channel channel, String sessionId) {
    this.channel = channel;
    this.sessionId = sessionId;
    notifyAll();
  }

  /** Forgets the session if it is still the current one. */
  public synchronized void sessionEnded(String sessionId) {
    if (sessionId.equals(this.sessionId)) {
      this.channel = null;
      this.sessionId = null;
    }
  }

  private void run() {
    while (!closed) {
      UpdateTaskStatusRequest.Builder batch = UpdateTaskStatusRequest.newBuilder();
      Map<String, TaskStatus> taken = new LinkedHashMap<>();
      Channel ch;
      synchronized (this) {
        while (!closed && (pending.isEmpty() || channel == null)) {
          try {
            wait(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        ch = channel;
        batch.setSessionId(sessionId);
        var it = pending.entrySet().iterator();
        while (it.hasNext() && taken.size() < MAX_BATCH) {
          var e = it.next();
          taken.put(e.getKey(), e.getValue());
          it.remove();
        }
      }
      taken.forEach(
          (id, status) ->
              batch.addUpdates(
                  UpdateTaskStatusRequest.TaskStatusUpdate.newBuilder()
                      .setTaskId(id)
                      .setStatus(status)));
      try {
        DispatcherGrpc.newBlockingStub(ch)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .updateTaskStatus(batch.build());
      } catch (StatusRuntimeException e) {
        LOG.info(
            "could not report {} task status changes ({}); retrying",
            taken.size(),
            StatusText.brief(e.getStatus()));
        synchronized (this) {
          // Put them back unless a newer status arrived meanwhile.
          taken.forEach(pending::putIfAbsent);
          try {
            wait(500);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
