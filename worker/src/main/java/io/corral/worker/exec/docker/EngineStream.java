package io.corral.worker.exec.docker;

import java.util.concurrent.CompletableFuture;

/**
 * A streamed Engine API response in progress (followed logs, events); closing it ends the
 * connection.
 */
public final class EngineStream implements AutoCloseable {
  private final CompletableFuture<Void> done;
  private final Runnable closer;

  EngineStream(CompletableFuture<Void> done) {
    this(done, () -> done.complete(null));
  }

  /**
   * A stream whose {@code done} is derived from another one's: {@code closer} closes the underlying
   * one.
   */
  EngineStream(CompletableFuture<Void> done, Runnable closer) {
    this.done = done;
    this.closer = closer;
  }

  /** Completes when the daemon ends the stream, or exceptionally with the daemon's error. */
  public CompletableFuture<Void> done() {
    return done;
  }

  /** Stops reading; {@link #done()} completes normally unless it already ended. */
  @Override
  public void close() {
    closer.run();
  }
}
