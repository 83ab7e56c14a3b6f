package io.corral.manager.store;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The cluster's desired and observed state: consistent views, atomic versioned writes, and ordered
 * watches. Implemented by {@link RaftStore} on managers (replicated) and {@link InMemoryStore} for
 * single-process use.
 */
public interface Store extends AutoCloseable {

  /** Runs the reader on a consistent view of this replica and returns what it returns. */
  <T> T view(Function<ReadTx, T> reader);

  /**
   * Runs the writer against a view, then commits everything it wrote as one atomic batch. Returns
   * once the batch is committed and visible in this replica's views.
   *
   * @throws StoreException if the batch is refused (conflict, missing object…) or cannot be
   *     committed (no quorum, timeout); nothing of it is then applied, except that after a TIMEOUT
   *     or NO_QUORUM the write may still commit later if quorum returns
   */
  CommitResult update(Consumer<WriteTx> writer);

  /** Watches changes committed from now on that pass the filter. */
  Watch watch(Predicate<StoreEvent> filter);

  /**
   * Reads a view and starts a watch atomically: the watch receives exactly the changes after the
   * view. This is how controllers start: read everything, then follow changes without a gap.
   */
  <T> Snapshot<T> viewAndWatch(Function<ReadTx, T> reader, Predicate<StoreEvent> filter);

  /** Writes a snapshot of this replica now; returns the log index it covers. */
  long snapshot();

  @Override
  void close();

  /** What {@link #viewAndWatch} returns: the read value and the watch that continues from it. */
  record Snapshot<T>(T value, Watch watch) {}
}
