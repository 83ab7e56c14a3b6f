package io.corral.manager.store;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A watch backed by a bounded queue that the replica fills in commit order. */
final class QueueWatch implements Watch {

  private final Predicate<StoreEvent> filter;
  private final LinkedBlockingQueue<StoreEvent> queue;
  private final Consumer<QueueWatch> onClose;
  private volatile String closedReason;

  QueueWatch(Predicate<StoreEvent> filter, int capacity, Consumer<QueueWatch> onClose) {
    this.filter = filter;
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.onClose = onClose;
  }

  /** Called by the replica, in commit order, with the write lock held. */
  void offer(StoreEvent event) {
    if (closedReason != null || !filter.test(event)) {
      return;
    }
    if (!queue.offer(event)) {
      closeWith(
          "watch fell behind by " + queue.size() + " changes and was closed; re-read the store");
    }
  }

  void closeWith(String reason) {
    if (closedReason == null) {
      closedReason = reason;
      onClose.accept(this);
    }
  }

  @Override
  public StoreEvent poll(Duration timeout) throws InterruptedException {
    StoreEvent e = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (e == null) {
      throwIfDrainedAndClosed();
    }
    return e;
  }

  @Override
  public StoreEvent take() throws InterruptedException {
    while (true) {
      StoreEvent e = queue.poll(100, TimeUnit.MILLISECONDS);
      if (e != null) {
        return e;
      }
      throwIfDrainedAndClosed();
    }
  }

  private void throwIfDrainedAndClosed() {
    String reason = closedReason;
    if (reason != null && queue.isEmpty()) {
      throw new StoreException(StoreException.Code.CLOSED, reason);
    }
  }

  @Override
  public boolean isClosed() {
    return closedReason != null;
  }

  @Override
  public void close() {
    closeWith("watch closed");
  }
}
