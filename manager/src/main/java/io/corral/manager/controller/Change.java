package io.corral.manager.controller;

import com.google.protobuf.Message;
import io.corral.manager.store.ObjectKind;

/**
 * One store write a controller decided on, over any object kind (tasks, services' update status and
 * specs, networks and their allocations…). Updates and deletes carry the object as it was read (its
 * meta.version), so the write fails if the object changed since the decision; {@link Require}
 * writes nothing and fails its group if an object the decision only read has changed since.
 */
public sealed interface Change {

  /** Creates a new object. */
  record Create(Message object) implements Change {}

  /** Replaces an object read at {@code object.meta.version} by this content. */
  record Update(Message object) implements Change {}

  /** Deletes an object if it is still at the version read; nothing to do if it is already gone. */
  record Delete(Message object) implements Change {}

  /**
   * A precondition: the object is still at {@code version} ({@code 0}: it still does not exist).
   */
  record Require(ObjectKind<?> kind, String id, long version) implements Change {

    /** The object must still be as read. */
    public static <M extends Message> Require unchanged(M object) {
      ObjectKind<M> kind = ObjectKind.of(object);
      return new Require(kind, kind.id(object), kind.version(object));
    }
  }
}
