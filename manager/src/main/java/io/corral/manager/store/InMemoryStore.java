package io.corral.manager.store;

import io.corral.api.StoreBatch;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A store with the same semantics as {@link RaftStore} but no replication or persistence: for
 * controllers' unit tests and single-process tools. Commits are serialised, each one a new index.
 */
public final class InMemoryStore implements Store {

  private final StoreReplica replica = new StoreReplica(StoreReplica.DEFAULT_WATCH_CAPACITY);
  private long lastIndex;
  private volatile boolean closed;

  @Override
  public <T> T view(Function<ReadTx, T> reader) {
    return replica.view(reader);
  }

  @Override
  public synchronized CommitResult update(Consumer<WriteTx> writer) {
    if (closed) {
      throw new StoreException(StoreException.Code.CLOSED, "store is closed");
    }
    PendingWrites tx =
        replica.view(
            base -> {
              PendingWrites w = new PendingWrites(base);
              writer.accept(w);
              return w;
            });
    if (tx.isEmpty()) {
      return new CommitResult(replica.appliedIndex(), List.of());
    }
    StoreBatch batch = tx.toBatch(Stamps.now());
    long index = ++lastIndex;
    replica.apply(batch, index);
    return new CommitResult(index, PendingWrites.stamped(batch, index));
  }

  @Override
  public Watch watch(Predicate<StoreEvent> filter) {
    return replica.watch(filter);
  }

  @Override
  public <T> Snapshot<T> viewAndWatch(Function<ReadTx, T> reader, Predicate<StoreEvent> filter) {
    return replica.viewAndWatch(reader, filter);
  }

  @Override
  public long snapshot() {
    return replica.appliedIndex();
  }

  @Override
  public void close() {
    closed = true;
    replica.closeWatches("store closed");
  }
}
