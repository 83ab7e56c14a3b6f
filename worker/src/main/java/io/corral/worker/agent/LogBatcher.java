package io.corral.worker.agent;

import io.corral.api.LogMessage;
import io.corral.api.PublishLogsMessage;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends one subscription's lines on its PublishLogs stream in batches: a batch goes when it is full
 * or a short delay after its first line, so that a burst makes few messages and a lone line is not
 * held back. Writers wait while the stream cannot take more, so a slow reader slows the log readers
 * instead of filling memory.
 */
final class LogBatcher {

  static final int MAX_LINES = 100;
  static final int MAX_BYTES = 256 * 1024;
  static final long DELAY_MILLIS = 50;

  private final String subscriptionId;
  private final ClientCallStreamObserver<PublishLogsMessage> stream;
  private final ScheduledExecutorService timer;
  private PublishLogsMessage.Builder batch;
  private int bytes;
  private boolean flushScheduled;
  private boolean finished;

  LogBatcher(
      String subscriptionId,
      ClientCallStreamObserver<PublishLogsMessage> stream,
      ScheduledExecutorService timer) {
    this.subscriptionId = subscriptionId;
    this.stream = stream;
    this.timer = timer;
    this.batch = PublishLogsMessage.newBuilder().setSubscriptionId(subscriptionId);
  }

  /** Tells the broker this node took the subscription up, before any line. */
  synchronized void announce() {
    if (!finished) {
      stream.onNext(PublishLogsMessage.newBuilder().setSubscriptionId(subscriptionId).build());
    }
  }

  /**
   * Queues a line; waits while the stream is not ready (a slow reader), unless the batcher finishes
   * meanwhile.
   */
  void add(LogMessage m) throws InterruptedException {
    synchronized (this) {
      if (finished) {
        return;
      }
      batch.addMessages(m);
      bytes += m.getData().size();
      if (batch.getMessagesCount() >= MAX_LINES || bytes >= MAX_BYTES) {
        flush();
      } else if (!flushScheduled) {
        flushScheduled = true;
        timer.schedule(this::scheduledFlush, DELAY_MILLIS, TimeUnit.MILLISECONDS);
      }
      while (!finished && !stream.isReady()) {
        // Woken by readyChanged(); the timeout only guards against a missed wake-up.
        wait(200);
      }
    }
  }

  /** The stream's readiness changed (its on-ready handler). */
  synchronized void readyChanged() {
    notifyAll();
  }

  private synchronized void scheduledFlush() {
    flushScheduled = false;
    if (!finished) {
      flush();
    }
  }

  private void flush() {
    if (batch.getMessagesCount() > 0) {
      stream.onNext(batch.build());
      batch = PublishLogsMessage.newBuilder().setSubscriptionId(subscriptionId);
      bytes = 0;
    }
  }

  /** Sends what is queued, then close, and ends the stream. Later calls do nothing. */
  synchronized void finish() {
    if (finished) {
      return;
    }
    finished = true;
    notifyAll();
    batch.setClose(true);
    stream.onNext(batch.build());
    stream.onCompleted();
  }

  /** Drops what is queued and cancels the stream (the session is gone). */
  synchronized void abort(String why) {
    if (finished) {
      return;
    }
    finished = true;
    notifyAll();
    stream.cancel(why, null);
  }

  synchronized boolean finished() {
    return finished;
  }
}
