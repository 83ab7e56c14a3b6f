package io.corral.manager.store;

import com.google.protobuf.Message;
import java.util.Optional;

/**
 * One committed change to one object, delivered to watches in commit order.
 *
 * @param type what happened
 * @param kind the kind of the object
 * @param object the object after the change (for a delete, the object as it was when deleted)
 * @param previous the object before the change; null for a create
 * @param index the Raft index of the batch the change belongs to
 */
public record StoreEvent(
    Type type, ObjectKind<?> kind, Message object, Message previous, long index) {

  /** What a change did to its object. */
  public enum Type {
    CREATE,
    UPDATE,
    DELETE
  }

  /** The object, typed, when it is of the given kind. */
  public <M extends Message> Optional<M> as(ObjectKind<M> wanted) {
    return kind == wanted ? Optional.of(wanted.cast(object)) : Optional.empty();
  }

  public boolean is(ObjectKind<?> wanted) {
    return kind == wanted;
  }
}
