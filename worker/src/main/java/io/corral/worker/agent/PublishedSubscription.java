package io.corral.worker.agent;

import com.google.protobuf.ByteString;
import io.corral.api.LogBrokerGrpc;
import io.corral.api.LogContext;
import io.corral.api.LogMessage;
import io.corral.api.LogSelector;
import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.PublishLogsMessage;
import io.corral.api.PublishLogsResponse;
import io.corral.api.SubscriptionMessage;
import io.corral.api.Task;
import io.corral.common.ProtoTime;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log subscription on this node: reads the logs of the local tasks it selects through the task
 * runtime and publishes them on a PublishLogs stream of its own. Without follow it sends close once
 * every task's past lines are out; with follow it also takes up tasks assigned later, and ends when
 * the managers close it.
 */
final class PublishedSubscription {

  private static final Logger LOG = LoggerFactory.getLogger(PublishedSubscription.class);

  private final String id;
  private final LogSelector selector;
  private final LogSubscriptionOptions options;
  private final TaskRuntime runtime;
  private final Runnable onFinished;
  private final Map<String, AutoCloseable> readers = new HashMap<>();
  private LogBatcher batcher;
  private int ended;
  private boolean allStarted;
  private boolean done;

  /**
   * @param onFinished called once when the subscription is over here, however it ended
   */
  PublishedSubscription(SubscriptionMessage m, TaskRuntime runtime, Runnable onFinished) {
    this.id = m.getId();
    this.selector = m.getSelector();
    this.options = m.getOptions();
    this.runtime = runtime;
    this.onFinished = onFinished;
  }

  String id() {
    return id;
  }

  boolean follow() {
    return options.getFollow();
  }

  /** Whether the selector picks this task (it names its service, the task itself, or its node). */
  static boolean selects(LogSelector selector, Task t) {
    return selector.getServiceIdsList().contains(t.getServiceId())
        || selector.getTaskIdsList().contains(t.getId())
        || selector.getNodeIdsList().contains(t.getNodeId());
  }

  /**
   * Opens the PublishLogs stream within the session and starts reading the selected tasks among
   * {@code tasks}.
   */
  void start(
      Channel channel,
      Context.CancellableContext session,
      ScheduledExecutorService timer,
      java.util.Collection<Task> tasks) {
    session.run(() -> LogBrokerGrpc.newStub(channel).publishLogs(new Response(timer)));
    batcher.announce();
    take(tasks);
    synchronized (this) {
      allStarted = true;
    }
    finishIfComplete();
  }

  /** Starts reading the selected tasks not read yet (following: tasks assigned since). */
  void take(java.util.Collection<Task> tasks) {
    for (Task t : tasks) {
      if (!selects(selector, t)) {
        continue;
      }
      synchronized (this) {
        if (done || readers.containsKey(t.getId())) {
          continue;
        }
        readers.put(t.getId(), () -> {});
      }
      AutoCloseable reader = runtime.logs(t.getId(), options, new Sink(t));
      boolean closeNow;
      synchronized (this) {
        closeNow = done;
        if (!done) {
          readers.put(t.getId(), reader);
        }
      }
      if (closeNow) {
        closeQuietly(reader);
      }
    }
  }

  /** The managers closed the subscription: stop reading, send what is queued and close. */
  void close() {
    if (markDone()) {
      batcher.finish();
    }
  }

  /** The session is gone: stop reading and drop the stream. */
  void abort(String why) {
    if (markDone()) {
      batcher.abort(why);
    }
  }

  private void finishIfComplete() {
    boolean complete;
    synchronized (this) {
      complete = !follow() && allStarted && ended == readers.size();
    }
    if (complete) {
      close();
    }
  }

  /** Marks the subscription over and closes its readers; true for the call that did it. */
  private boolean markDone() {
    List<AutoCloseable> toClose;
    synchronized (this) {
      if (done) {
        return false;
      }
      done = true;
      toClose = List.copyOf(readers.values());
    }
    toClose.forEach(PublishedSubscription::closeQuietly);
    onFinished.run();
    return true;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("closing a log reader failed: {}", e.toString());
    }
  }

  /** One task's lines, labelled with where they come from. */
  private final class Sink implements TaskRuntime.LogSink {

    private final LogContext context;
    private boolean over;

    Sink(Task t) {
      this.context =
          LogContext.newBuilder()
              .setServiceId(t.getServiceId())
              .setNodeId(t.getNodeId())
              .setTaskId(t.getId())
              .build();
    }

    @Override
    public void line(Instant time, LogStream stream, byte[] data) {
      try {
        batcher.add(
            LogMessage.newBuilder()
                .setContext(context)
                .setTimestamp(ProtoTime.timestamp(time))
                .setStream(stream)
                .setData(ByteString.copyFrom(data))
                .build());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void end() {
      synchronized (PublishedSubscription.this) {
        if (over) {
          return;
        }
        over = true;
        ended++;
      }
      finishIfComplete();
    }
  }

  /**
   * The broker's answer to the PublishLogs stream; an error means the managers stopped taking our
   * lines.
   */
  private final class Response
      implements ClientResponseObserver<PublishLogsMessage, PublishLogsResponse> {

    private final ScheduledExecutorService timer;

    Response(ScheduledExecutorService timer) {
      this.timer = timer;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<PublishLogsMessage> requestStream) {
      batcher = new LogBatcher(id, requestStream, timer);
      LogBatcher b = batcher;
      requestStream.setOnReadyHandler(b::readyChanged);
    }

    @Override
    public void onNext(PublishLogsResponse value) {}

    @Override
    public void onError(Throwable t) {
      Status s = Status.fromThrowable(t);
      if (s.getCode() != Status.Code.CANCELLED) {
        LOG.info("publishing logs for subscription {} ended: {}", id, s);
      }
      abort("the managers ended the log stream");
    }

    @Override
    public void onCompleted() {}
  }
}
