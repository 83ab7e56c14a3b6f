package io.corral.manager.store;

import com.google.protobuf.Message;

/**
 * A view of the store that also collects writes; its reads see its own writes. The writes commit as
 * one atomic batch when the function given to {@link Store#update} returns, or not at all.
 */
public interface WriteTx extends ReadTx {

  /** Creates an object; its id must be new and, for named kinds, its name unused. */
  <M extends Message> void create(M object);

  /**
   * Replaces an object. {@code object.meta.version} must be the version that was read: if the
   * object changed since, the whole batch fails with {@link StoreException.Code#VERSION_CONFLICT}.
   */
  <M extends Message> void update(M object);

  /** Deletes the object as this view sees it; fails the batch if it changed before the commit. */
  <M extends Message> void delete(ObjectKind<M> kind, String id);
}
