package io.corral.manager.controller;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.WriteTx;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The write half of a controller: commits a plan's groups, many per store batch. When a batch is refused
 * because something changed under the decision, its groups are retried one by one so that one busy task
 * cannot hold back the others; groups refused again are dropped (the next pass decides anew).
 */
public final class ChangeWriter {

  /** Changes per store batch: large enough to scale by hundreds in a few commits, small enough for Raft. */
  static final int MAX_BATCH = 200;
  private static final Set<StoreException.Code> STALE = EnumSet.of(StoreException.Code.VERSION_CONFLICT,
      StoreException.Code.NOT_FOUND, StoreException.Code.EXISTS, StoreException.Code.NAME_CONFLICT);

  private ChangeWriter() {}

  /** What was written. {@code stale} counts groups refused because the store changed since the snapshot. */
  public record Result(int written, int stale) {}

  /**
   * Commits the plan.
   *
   * @throws StoreException when the store cannot commit at all (no quorum, closed…)
   */
  public static Result apply(Store store, Plan plan) {
    int written = 0;
    int stale = 0;
    List<List<TaskChange>> batch = new ArrayList<>();
    int size = 0;
    for (List<TaskChange> group : plan.groups()) {
      if (size > 0 && size + group.size() > MAX_BATCH) {
        Result r = commit(store, batch);
        written += r.written();
        stale += r.stale();
        batch.clear();
        size = 0;
      }
      batch.add(group);
      size += group.size();
    }
    if (!batch.isEmpty()) {
      Result r = commit(store, batch);
      written += r.written();
      stale += r.stale();
    }
    return new Result(written, stale);
  }

  private static Result commit(Store store, List<List<TaskChange>> groups) {
    try {
      store.update(tx -> groups.forEach(g -> g.forEach(c -> write(tx, c))));
      return new Result(groups.size(), 0);
    } catch (StoreException e) {
      if (!STALE.contains(e.code())) {
        throw e;
      }
    }
    if (groups.size() == 1) {
      return new Result(0, 1);
    }
    int written = 0;
    int stale = 0;
    for (List<TaskChange> g : groups) {
      try {
        store.update(tx -> g.forEach(c -> write(tx, c)));
        written++;
      } catch (StoreException e) {
        if (!STALE.contains(e.code())) {
          throw e;
        }
        stale++;
      }
    }
    return new Result(written, stale);
  }

  static void write(WriteTx tx, TaskChange change) {
    if (change instanceof TaskChange.Create c) {
      tx.create(c.task());
    } else if (change instanceof TaskChange.Update u) {
      tx.update(u.task());
    } else if (change instanceof TaskChange.Delete d) {
      Task t = d.task();
      Task now = tx.get(ObjectKind.TASK, t.getId()).orElse(null);
      if (now == null) {
        return;
      }
      if (now.getMeta().getVersion() != t.getMeta().getVersion()) {
        throw new StoreException(StoreException.Code.VERSION_CONFLICT, "task " + t.getId() + " changed");
      }
      tx.delete(ObjectKind.TASK, t.getId());
    } else if (change instanceof TaskChange.DeleteService d) {
      Service s = d.service();
      Service now = tx.get(ObjectKind.SERVICE, s.getId()).orElse(null);
      if (now == null) {
        return;
      }
      if (now.getMeta().getVersion() != s.getMeta().getVersion() || !tx.tasksOfService(s.getId()).isEmpty()) {
        throw new StoreException(StoreException.Code.VERSION_CONFLICT, "service " + s.getId() + " changed");
      }
      tx.delete(ObjectKind.SERVICE, s.getId());
    }
  }
}
