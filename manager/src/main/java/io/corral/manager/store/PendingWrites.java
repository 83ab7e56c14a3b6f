package io.corral.manager.store;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.corral.api.Meta;
import io.corral.api.StoreAction;
import io.corral.api.StoreBatch;
import io.corral.api.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A {@link WriteTx} over a base view: collects actions and overlays them on the base for its own
 * reads.
 */
final class PendingWrites implements WriteTx {

  private final ReadTx base;
  private final List<StoreAction> actions = new ArrayList<>();
  // Per kind: id -> the object as this transaction left it, or empty when it deleted it.
  private final Map<ObjectKind<?>, TreeMap<String, Optional<Message>>> overlay = new HashMap<>();

  PendingWrites(ReadTx base) {
    this.base = base;
  }

  boolean isEmpty() {
    return actions.isEmpty();
  }

  StoreBatch toBatch(Timestamp timestamp) {
    return StoreBatch.newBuilder().addAllActions(actions).setTimestamp(timestamp).build();
  }

  /**
   * The created and updated objects as the store will hold them once the batch commits at index.
   */
  static List<Message> stamped(StoreBatch batch, long index) {
    List<Message> out = new ArrayList<>();
    for (StoreAction action : batch.getActionsList()) {
      if (action.getKind() != StoreAction.Kind.DELETE) {
        out.add(stamp(ObjectKind.of(action), action, index, batch.getTimestamp()));
      }
    }
    return out;
  }

  private static <M extends Message> M stamp(
      ObjectKind<M> kind, StoreAction action, long index, Timestamp ts) {
    M object = kind.target(action);
    Meta meta =
        action.getKind() == StoreAction.Kind.CREATE
            ? Stamps.created(index, ts)
            : Stamps.updated(kind.meta(object), index, ts);
    return kind.withMeta(object, meta);
  }

  @Override
  public <M extends Message> void create(M object) {
    ObjectKind<M> kind = ObjectKind.of(object);
    String id = kind.id(object);
    if (id.isEmpty()) {
      throw new StoreException(
          StoreException.Code.INVALID, "cannot create a " + kind + " without an id");
    }
    if (get(kind, id).isPresent()) {
      throw new StoreException(StoreException.Code.EXISTS, kind + " " + id + " already exists");
    }
    actions.add(kind.action(StoreAction.Kind.CREATE, object));
    overlay(kind).put(id, Optional.of(object));
  }

  @Override
  public <M extends Message> void update(M object) {
    ObjectKind<M> kind = ObjectKind.of(object);
    String id = kind.id(object);
    if (get(kind, id).isEmpty()) {
      throw new StoreException(StoreException.Code.NOT_FOUND, kind + " " + id + " not found");
    }
    actions.add(kind.action(StoreAction.Kind.UPDATE, object));
    overlay(kind).put(id, Optional.of(object));
  }

  @Override
  public <M extends Message> void delete(ObjectKind<M> kind, String id) {
    M current =
        get(kind, id)
            .orElseThrow(
                () ->
                    new StoreException(
                        StoreException.Code.NOT_FOUND, kind + " " + id + " not found"));
    actions.add(kind.action(StoreAction.Kind.DELETE, current));
    overlay(kind).put(id, Optional.empty());
  }

  private TreeMap<String, Optional<Message>> overlay(ObjectKind<?> kind) {
    return overlay.computeIfAbsent(kind, k -> new TreeMap<>());
  }

  @Override
  public <M extends Message> Optional<M> get(ObjectKind<M> kind, String id) {
    TreeMap<String, Optional<Message>> mine = overlay.get(kind);
    if (mine != null && mine.containsKey(id)) {
      return mine.get(id).map(kind::cast);
    }
    return base.get(kind, id);
  }

  @Override
  public <M extends Message> List<M> list(ObjectKind<M> kind) {
    return find(kind, m -> true);
  }

  @Override
  public <M extends Message> List<M> find(ObjectKind<M> kind, Predicate<? super M> filter) {
    TreeMap<String, Optional<Message>> mine = overlay.get(kind);
    if (mine == null) {
      return base.find(kind, filter);
    }
    TreeMap<String, M> merged = new TreeMap<>();
    for (M m : base.find(kind, filter)) {
      merged.put(kind.id(m), m);
    }
    mine.forEach(
        (id, value) -> {
          merged.remove(id);
          value.map(kind::cast).filter(filter).ifPresent(m -> merged.put(id, m));
        });
    return new ArrayList<>(merged.values());
  }

  @Override
  public <M extends Message> Optional<M> byName(ObjectKind<M> kind, String name) {
    List<M> named = find(kind, m -> kind.uniqueName(m).filter(name::equals).isPresent());
    return named.isEmpty() ? Optional.empty() : Optional.of(named.get(0));
  }

  @Override
  public List<Task> tasksOfService(String serviceId) {
    return overlay.containsKey(ObjectKind.TASK)
        ? find(ObjectKind.TASK, t -> t.getServiceId().equals(serviceId))
        : base.tasksOfService(serviceId);
  }

  @Override
  public List<Task> tasksOnNode(String nodeId) {
    return overlay.containsKey(ObjectKind.TASK)
        ? find(ObjectKind.TASK, t -> t.getNodeId().equals(nodeId))
        : base.tasksOnNode(nodeId);
  }

  @Override
  public long appliedIndex() {
    return base.appliedIndex();
  }
}
