package io.corral.manager.controller;

import com.google.protobuf.Message;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.WriteTx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The write half of a controller: commits a plan's groups of changes to objects of any kind, many
 * groups per store batch. When a batch is refused because something changed under the decision, its
 * groups are retried one by one so that one busy object cannot hold back the others; groups refused
 * again are dropped (the next pass decides anew).
 */
public final class ChangeWriter {

  /**
   * Changes per store batch: large enough to scale by hundreds in a few commits, small enough for
   * Raft.
   */
  static final int MAX_BATCH = 200;

  private static final Set<StoreException.Code> STALE =
      EnumSet.of(
          StoreException.Code.VERSION_CONFLICT,
          StoreException.Code.NOT_FOUND,
          StoreException.Code.EXISTS,
          StoreException.Code.NAME_CONFLICT);

  private ChangeWriter() {}

  /**
   * What was written. {@code stale} counts groups refused because the store changed since the
   * snapshot.
   */
  public record Result(int written, int stale) {}

  /**
   * Commits the plan.
   *
   * @throws StoreException when the store cannot commit at all (no quorum, closed…)
   */
  public static Result apply(Store store, Plan plan) {
    int written = 0;
    int stale = 0;
    List<List<Change>> batch = new ArrayList<>();
    Set<String> touched = new HashSet<>();
    int size = 0;
    for (List<Change> group : plan.groups()) {
      Set<String> objects = objects(group);
      // The store checks an object's version only at its first write in a batch, so two groups
      // decided on
      // the same object go to different batches: the second then conflicts instead of overwriting
      // the first.
      if (size > 0
          && (size + group.size() > MAX_BATCH || !Collections.disjoint(touched, objects))) {
        Result r = commit(store, batch);
        written += r.written();
        stale += r.stale();
        batch.clear();
        touched.clear();
        size = 0;
      }
      batch.add(group);
      touched.addAll(objects);
      size += group.size();
    }
    if (!batch.isEmpty()) {
      Result r = commit(store, batch);
      written += r.written();
      stale += r.stale();
    }
    return new Result(written, stale);
  }

  private static Result commit(Store store, List<List<Change>> groups) {
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
    for (List<Change> g : groups) {
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

  private static Set<String> objects(List<Change> group) {
    Set<String> out = new HashSet<>();
    for (Change c : group) {
      if (c instanceof Change.Require r) {
        out.add(r.kind() + "/" + r.id());
      } else {
        Message o =
            c instanceof Change.Create x
                ? x.object()
                : c instanceof Change.Update x ? x.object() : ((Change.Delete) c).object();
        ObjectKind<Message> kind = ObjectKind.of(o);
        out.add(kind + "/" + kind.id(o));
      }
    }
    return out;
  }

  static void write(WriteTx tx, Change change) {
    if (change instanceof Change.Create c) {
      tx.create(c.object());
    } else if (change instanceof Change.Update u) {
      tx.update(u.object());
    } else if (change instanceof Change.Delete d) {
      deleteUnchanged(tx, ObjectKind.of(d.object()), d.object());
    } else if (change instanceof Change.Require r) {
      require(tx, r.kind(), r.id(), r.version());
    }
  }

  private static <M extends Message> void deleteUnchanged(WriteTx tx, ObjectKind<M> kind, M read) {
    String id = kind.id(read);
    M now = tx.get(kind, id).orElse(null);
    if (now == null) {
      return;
    }
    if (kind.version(now) != kind.version(read)) {
      throw new StoreException(StoreException.Code.VERSION_CONFLICT, kind + " " + id + " changed");
    }
    tx.delete(kind, id);
  }

  private static <M extends Message> void require(
      WriteTx tx, ObjectKind<M> kind, String id, long version) {
    long now = tx.get(kind, id).map(kind::version).orElse(0L);
    if (now != version) {
      throw new StoreException(StoreException.Code.VERSION_CONFLICT, kind + " " + id + " changed");
    }
  }
}
