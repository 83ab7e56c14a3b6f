package io.corral.manager.store;

import java.time.Duration;

/**
 * An ordered stream of committed changes. A watch that falls too far behind is closed, so a slow
 * reader can never block the store; its reader then re-reads the store and watches again.
 */
public interface Watch extends AutoCloseable {

  /** The next change, or null when none came within the timeout. */
  StoreEvent poll(Duration timeout) throws InterruptedException;

  /**
   * The next change, waiting as long as it takes.
   *
   * @throws StoreException with code CLOSED once the watch is closed and drained (the message says
   *     why)
   */
  StoreEvent take() throws InterruptedException;

  boolean isClosed();

  @Override
  void close();
}
