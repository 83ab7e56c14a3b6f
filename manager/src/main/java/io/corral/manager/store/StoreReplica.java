package io.corral.manager.store;

import com.google.protobuf.Message;
import io.corral.api.StoreBatch;
import io.corral.api.StoreSnapshot;
import io.corral.api.Task;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * This process's applied copy of the store: views under a read lock, batches applied under the
 * write lock, and watches fed in commit order.
 */
final class StoreReplica {

  static final int DEFAULT_WATCH_CAPACITY = 100_000;

  private final StoreState state = new StoreState();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Condition applied = lock.writeLock().newCondition();
  private final List<QueueWatch> watches = new CopyOnWriteArrayList<>();
  private final int watchCapacity;

  StoreReplica(int watchCapacity) {
    this.watchCapacity = watchCapacity;
  }

  <T> T view(Function<ReadTx, T> reader) {
    lock.readLock().lock();
    try {
      return reader.apply(new View());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Applies a batch at index; on refusal the state only records that the index was consumed. */
  List<StoreEvent> apply(StoreBatch batch, long index) {
    lock.writeLock().lock();
    try {
      List<StoreEvent> events;
      try {
        events = state.apply(batch, index);
      } catch (StoreException refused) {
        state.advanceTo(index);
        throw refused;
      } finally {
        applied.signalAll();
      }
      for (StoreEvent e : events) {
        for (QueueWatch w : watches) {
          w.offer(e);
        }
      }
      return events;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Records a log entry that carries no batch (leader no-ops, configuration changes). */
  void advanceTo(long index) {
    lock.writeLock().lock();
    try {
      state.advanceTo(index);
      applied.signalAll();
    } finally {
      lock.writeLock().unlock();
    }
  }

  long appliedIndex() {
    return view(ReadTx::appliedIndex);
  }

  /** Waits until this replica has applied the given index; false on timeout. */
  boolean awaitApplied(long index, Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.writeLock().lock();
    try {
      while (state.appliedIndex() < index) {
        if (nanos <= 0) {
          return false;
        }
        nanos = applied.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  Watch watch(Predicate<StoreEvent> filter) {
    QueueWatch w = new QueueWatch(filter, watchCapacity, watches::remove);
    watches.add(w);
    return w;
  }

  <T> Store.Snapshot<T> viewAndWatch(Function<ReadTx, T> reader, Predicate<StoreEvent> filter) {
    // The read lock excludes applies, so no change falls between the view and the watch's first
    // event.
    lock.readLock().lock();
    try {
      T value = reader.apply(new View());
      return new Store.Snapshot<>(value, watch(filter));
    } finally {
      lock.readLock().unlock();
    }
  }

  StoreSnapshot toSnapshot() {
    return view(tx -> state.toSnapshot());
  }

  /**
   * Replaces the state with a snapshot (a follower that fell behind the leader's log). Watches
   * cannot be given the difference, so they are closed and their readers re-read.
   */
  void restore(StoreSnapshot snapshot) {
    lock.writeLock().lock();
    try {
      state.restore(snapshot);
      applied.signalAll();
      for (QueueWatch w : watches) {
        w.closeWith(
            "store replaced by a snapshot at index "
                + snapshot.getAppliedIndex()
                + "; re-read the store");
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  void closeWatches(String reason) {
    for (QueueWatch w : watches) {
      w.closeWith(reason);
    }
  }

  int objectCount() {
    return view(tx -> state.size());
  }

  /** The read API over the state; only valid while the lock that created it is held. */
  private final class View implements ReadTx {
    @Override
    public <M extends Message> Optional<M> get(ObjectKind<M> kind, String id) {
      return state.get(kind, id);
    }

    @Override
    public <M extends Message> List<M> list(ObjectKind<M> kind) {
      return state.list(kind);
    }

    @Override
    public <M extends Message> List<M> find(ObjectKind<M> kind, Predicate<? super M> filter) {
      return state.find(kind, filter);
    }

    @Override
    public <M extends Message> Optional<M> byName(ObjectKind<M> kind, String name) {
      return state.byName(kind, name);
    }

    @Override
    public List<Task> tasksOfService(String serviceId) {
      return state.tasksOfService(serviceId);
    }

    @Override
    public List<Task> tasksOnNode(String nodeId) {
      return state.tasksOnNode(nodeId);
    }

    @Override
    public long appliedIndex() {
      return state.appliedIndex();
    }
  }
}
