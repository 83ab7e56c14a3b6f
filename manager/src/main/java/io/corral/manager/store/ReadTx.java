package io.corral.manager.store;

import com.google.protobuf.Message;
import io.corral.api.Task;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** A consistent read-only view of the store: nothing changes under it while it is open. */
public interface ReadTx {

  <M extends Message> Optional<M> get(ObjectKind<M> kind, String id);

  /** Every object of a kind, ordered by id. */
  <M extends Message> List<M> list(ObjectKind<M> kind);

  /** The objects of a kind that pass the filter, ordered by id. */
  <M extends Message> List<M> find(ObjectKind<M> kind, Predicate<? super M> filter);

  /**
   * The object of a kind with unique names (cluster, service, network, secret, config) by its name.
   */
  <M extends Message> Optional<M> byName(ObjectKind<M> kind, String name);

  /** Every task of a service, whatever its state. */
  List<Task> tasksOfService(String serviceId);

  /** Every task assigned to a node, whatever its state. */
  List<Task> tasksOnNode(String nodeId);

  /** The log index of the last change this view contains. */
  long appliedIndex();
}
