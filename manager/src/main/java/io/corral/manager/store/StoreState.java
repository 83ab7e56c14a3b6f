package io.corral.manager.store;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.corral.api.StoreAction;
import io.corral.api.StoreBatch;
import io.corral.api.StoreSnapshot;
import io.corral.api.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The objects of the store with their indexes, and the one deterministic rule that applies a batch
 * to them. Not thread-safe: {@link StoreReplica} guards it.
 */
final class StoreState {

  private final Map<ObjectKind<?>, NavigableMap<String, Message>> objects = new HashMap<>();
  private final Map<ObjectKind<?>, Map<String, String>> idsByName = new HashMap<>();
  private final Map<String, Set<String>> tasksByService = new HashMap<>();
  private final Map<String, Set<String>> tasksByNode = new HashMap<>();
  private long appliedIndex;

  StoreState() {
    for (ObjectKind<?> kind : ObjectKind.ALL) {
      objects.put(kind, new TreeMap<>());
      idsByName.put(kind, new HashMap<>());
    }
  }

  long appliedIndex() {
    return appliedIndex;
  }

  /** Records that log entries up to index were applied (also entries that carry no batch). */
  void advanceTo(long index) {
    appliedIndex = Math.max(appliedIndex, index);
  }

  <M extends Message> Optional<M> get(ObjectKind<M> kind, String id) {
    return Optional.ofNullable(objects.get(kind).get(id)).map(kind::cast);
  }

  <M extends Message> List<M> list(ObjectKind<M> kind) {
    List<M> out = new ArrayList<>(objects.get(kind).size());
    for (Message m : objects.get(kind).values()) {
      out.add(kind.cast(m));
    }
    return out;
  }

  <M extends Message> List<M> find(ObjectKind<M> kind, Predicate<? super M> filter) {
    List<M> out = new ArrayList<>();
    for (Message m : objects.get(kind).values()) {
      M typed = kind.cast(m);
      if (filter.test(typed)) {
        out.add(typed);
      }
    }
    return out;
  }

  <M extends Message> Optional<M> byName(ObjectKind<M> kind, String name) {
    String id = idsByName.get(kind).get(name);
    return id == null ? Optional.empty() : get(kind, id);
  }

  List<Task> tasksOfService(String serviceId) {
    return tasksIn(tasksByService.get(serviceId));
  }

  List<Task> tasksOnNode(String nodeId) {
    return tasksIn(tasksByNode.get(nodeId));
  }

  private List<Task> tasksIn(Set<String> ids) {
    if (ids == null) {
      return List.of();
    }
    List<Task> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      out.add((Task) objects.get(ObjectKind.TASK).get(id));
    }
    return out;
  }

  int size() {
    int n = 0;
    for (NavigableMap<String, Message> table : objects.values()) {
      n += table.size();
    }
    return n;
  }

  /**
   * Applies a whole batch at the given log index, or nothing. Every replica runs this on the same
   * entries in the same order, so it depends only on the batch, the index and the current state.
   *
   * @return the changes, in the batch's order
   * @throws StoreException when any action is refused; the state is then unchanged
   */
  List<StoreEvent> apply(StoreBatch batch, long index) {
    List<StoreEvent> events = plan(batch, index);
    for (StoreEvent e : events) {
      if (e.type() == StoreEvent.Type.DELETE) {
        removeObject(e.kind(), e.object());
      } else {
        put(e.kind(), e.object());
      }
    }
    advanceTo(index);
    return events;
  }

  /**
   * Checks every action against the state plus the batch's earlier actions, and stamps the results.
   */
  private List<StoreEvent> plan(StoreBatch batch, long index) {
    Timestamp ts = batch.getTimestamp();
    // Objects as the batch's earlier actions left them: id -> object, or null for deleted.
    Map<ObjectKind<?>, Map<String, Message>> pending = new HashMap<>();
    // Names claimed (name -> id) or released (name -> null) by earlier actions.
    Map<ObjectKind<?>, Map<String, String>> pendingNames = new HashMap<>();
    List<StoreEvent> events = new ArrayList<>(batch.getActionsCount());
    for (int i = 0; i < batch.getActionsCount(); i++) {
      StoreAction action = batch.getActions(i);
      ObjectKind<?> kind = ObjectKind.of(action);
      events.add(
          planOne(
              kind,
              action,
              index,
              ts,
              i,
              pending.computeIfAbsent(kind, k -> new LinkedHashMap<>()),
              pendingNames.computeIfAbsent(kind, k -> new HashMap<>())));
    }
    return events;
  }

  private <M extends Message> StoreEvent planOne(
      ObjectKind<M> kind,
      StoreAction action,
      long index,
      Timestamp ts,
      int position,
      Map<String, Message> pending,
      Map<String, String> pendingNames) {
    M target = kind.target(action);
    String id = kind.id(target);
    if (id.isEmpty()) {
      throw new StoreException(
          StoreException.Code.INVALID, "action " + position + ": " + kind + " has an empty id");
    }
    // An object this batch already wrote was checked then; its writer cannot know the version it
    // will get.
    boolean writtenInBatch = pending.containsKey(id);
    M current =
        writtenInBatch
            ? (pending.get(id) == null ? null : kind.cast(pending.get(id)))
            : get(kind, id).orElse(null);
    switch (action.getKind()) {
      case CREATE -> {
        if (current != null) {
          throw new StoreException(StoreException.Code.EXISTS, kind + " " + id + " already exists");
        }
        M created = kind.withMeta(target, Stamps.created(index, ts));
        claimName(kind, id, null, created, pendingNames);
        pending.put(id, created);
        return new StoreEvent(StoreEvent.Type.CREATE, kind, created, null, index);
      }
      case UPDATE -> {
        checkVersion(
            kind, id, current, writtenInBatch ? kind.version(current) : kind.version(target));
        M updated = kind.withMeta(target, Stamps.updated(kind.meta(current), index, ts));
        claimName(kind, id, current, updated, pendingNames);
        pending.put(id, updated);
        return new StoreEvent(StoreEvent.Type.UPDATE, kind, updated, current, index);
      }
      case DELETE -> {
        long expected = kind.version(target);
        if (current == null) {
          throw new StoreException(StoreException.Code.NOT_FOUND, kind + " " + id + " not found");
        }
        // A delete that names no version deletes whatever is there (like removing by id in the
        // CLI).
        if (expected != 0 && !writtenInBatch) {
          checkVersion(kind, id, current, expected);
        }
        kind.uniqueName(current).ifPresent(n -> pendingNames.put(n, null));
        pending.put(id, null);
        return new StoreEvent(StoreEvent.Type.DELETE, kind, current, current, index);
      }
      default ->
          throw new StoreException(
              StoreException.Code.INVALID,
              "action " + position + ": unknown action kind " + action.getKindValue());
    }
  }

  private static <M extends Message> void checkVersion(
      ObjectKind<M> kind, String id, M current, long expected) {
    if (current == null) {
      throw new StoreException(StoreException.Code.NOT_FOUND, kind + " " + id + " not found");
    }
    long actual = kind.version(current);
    if (actual != expected) {
      throw new StoreException(
          StoreException.Code.VERSION_CONFLICT,
          kind
              + " "
              + id
              + " was changed by someone else (read version "
              + expected
              + ", now "
              + actual
              + "); read it again and retry");
    }
  }

  private <M extends Message> void claimName(
      ObjectKind<M> kind, String id, M before, M after, Map<String, String> pendingNames) {
    Optional<String> oldName = before == null ? Optional.empty() : kind.uniqueName(before);
    Optional<String> newName = kind.uniqueName(after);
    if (newName.equals(oldName)) {
      return;
    }
    if (newName.isPresent()) {
      String name = newName.get();
      String holder =
          pendingNames.containsKey(name) ? pendingNames.get(name) : idsByName.get(kind).get(name);
      if (holder != null && !holder.equals(id)) {
        throw new StoreException(
            StoreException.Code.NAME_CONFLICT,
            kind + " name \"" + name + "\" is already in use by " + kind + " " + holder);
      }
      pendingNames.put(name, id);
    }
    oldName.ifPresent(n -> pendingNames.put(n, null));
  }

  private void put(ObjectKind<?> kind, Message object) {
    putTyped(kind, object);
  }

  private <M extends Message> void putTyped(ObjectKind<M> kind, Message untyped) {
    M object = kind.cast(untyped);
    String id = kind.id(object);
    Message old = objects.get(kind).put(id, object);
    if (old != null) {
      unindex(kind, kind.cast(old));
    }
    kind.uniqueName(object).ifPresent(n -> idsByName.get(kind).put(n, id));
    if (object instanceof Task t) {
      addTo(tasksByService, t.getServiceId(), id);
      addTo(tasksByNode, t.getNodeId(), id);
    }
  }

  private <M extends Message> void remove(ObjectKind<M> kind, String id) {
    Message old = objects.get(kind).remove(id);
    if (old != null) {
      unindex(kind, kind.cast(old));
    }
  }

  private <M extends Message> void unindex(ObjectKind<M> kind, M old) {
    String id = kind.id(old);
    kind.uniqueName(old).ifPresent(n -> idsByName.get(kind).remove(n, id));
    if (old instanceof Task t) {
      removeFrom(tasksByService, t.getServiceId(), id);
      removeFrom(tasksByNode, t.getNodeId(), id);
    }
  }

  private static void addTo(Map<String, Set<String>> index, String key, String id) {
    if (!key.isEmpty()) {
      index.computeIfAbsent(key, k -> new TreeSet<>()).add(id);
    }
  }

  private static void removeFrom(Map<String, Set<String>> index, String key, String id) {
    Set<String> ids = index.get(key);
    if (ids != null) {
      ids.remove(id);
      if (ids.isEmpty()) {
        index.remove(key);
      }
    }
  }

  private <M extends Message> void removeObject(ObjectKind<M> kind, Message object) {
    remove(kind, kind.id(kind.cast(object)));
  }

  /** The whole state as one message (snapshot files, dumps). */
  StoreSnapshot toSnapshot() {
    StoreSnapshot.Builder b = StoreSnapshot.newBuilder().setAppliedIndex(appliedIndex);
    for (ObjectKind<?> kind : ObjectKind.ALL) {
      for (Message m : objects.get(kind).values()) {
        kind.addToSnapshot(b, m);
      }
    }
    return b.build();
  }

  /** Replaces everything with the content of a snapshot. */
  void restore(StoreSnapshot snapshot) {
    for (ObjectKind<?> kind : ObjectKind.ALL) {
      objects.get(kind).clear();
      idsByName.get(kind).clear();
    }
    tasksByService.clear();
    tasksByNode.clear();
    for (ObjectKind<?> kind : ObjectKind.ALL) {
      for (Message m : kind.fromSnapshot(snapshot)) {
        put(kind, m);
      }
    }
    appliedIndex = snapshot.getAppliedIndex();
  }

  /** Every object, for comparisons in tests and tools. */
  Map<ObjectKind<?>, List<Message>> all() {
    Map<ObjectKind<?>, List<Message>> out = new LinkedHashMap<>();
    for (ObjectKind<?> kind : ObjectKind.ALL) {
      out.put(kind, Collections.unmodifiableList(new ArrayList<>(objects.get(kind).values())));
    }
    return out;
  }
}
