package io.corral.manager.store;

import com.google.protobuf.Message;
import io.corral.api.Cluster;
import io.corral.api.Config;
import io.corral.api.Meta;
import io.corral.api.Network;
import io.corral.api.Node;
import io.corral.api.Secret;
import io.corral.api.Service;
import io.corral.api.StoreAction;
import io.corral.api.StoreSnapshot;
import io.corral.api.Task;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The seven kinds of object the store holds, with typed access to their id, meta, name and wire
 * forms.
 */
public final class ObjectKind<M extends Message> {

  public static final ObjectKind<Cluster> CLUSTER =
      new ObjectKind<>(
          "cluster",
          Cluster.class,
          Cluster::getId,
          Cluster::getMeta,
          (o, m) -> o.toBuilder().setMeta(m).build(),
          o -> o.getSpec().getAnnotations().getName(),
          true,
          StoreAction.TargetCase.CLUSTER,
          StoreAction::getCluster,
          StoreAction.Builder::setCluster,
          StoreSnapshot::getClustersList,
          StoreSnapshot.Builder::addClusters);
  public static final ObjectKind<Node> NODE =
      new ObjectKind<>(
          "node",
          Node.class,
          Node::getId,
          Node::getMeta,
          (o, m) -> o.toBuilder().setMeta(m).build(),
          o -> "",
          false,
          StoreAction.TargetCase.NODE,
          StoreAction::getNode,
          StoreAction.Builder::setNode,
          StoreSnapshot::getNodesList,
          StoreSnapshot.Builder::addNodes);
  public static final ObjectKind<Service> SERVICE =
      new ObjectKind<>(
          "service",
          Service.class,
          Service::getId,
          Service::getMeta,
          (o, m) -> o.toBuilder().setMeta(m).build(),
          o -> o.getSpec().getAnnotations().getName(),
          true,
          StoreAction.TargetCase.SERVICE,
          StoreAction::getService,
          StoreAction.Builder::setService,
          StoreSnapshot::getServicesList,
          StoreSnapshot.Builder::addServices);
  public static final ObjectKind<Task> TASK =
      new ObjectKind<>(
          "task",
          Task.class,
          Task::getId,
          Task::getMeta,
          (o, m) -> o.toBuilder().setMeta(m).build(),
          o -> "",
          false,
          StoreAction.TargetCase.TASK,
          StoreAction::getTask,
          StoreAction.Builder::setTask,
          StoreSnapshot::getTasksList,
          StoreSnapshot.Builder::addTasks);
  public static final ObjectKind<Network> NETWORK =
      new ObjectKind<>(
          "network",
          Network.class,
          Network::getId,
          Network::getMeta,
          (o, m) -> o.toBuilder().setMeta(m).build(),
          o -> o.getSpec().getAnnotations().getName(),
          true,
          StoreAction.TargetCase.NETWORK,
          StoreAction::getNetwork,
          StoreAction.Builder::setNetwork,
          StoreSnapshot::getNetworksList,
          StoreSnapshot.Builder::addNetworks);
  public static final ObjectKind<Secret> SECRET =
      new ObjectKind<>(
          "secret",
          Secret.class,
          Secret::getId,
          Secret::getMeta,
          (o, m) -> o.toBuilder().setMeta(m).build(),
          o -> o.getSpec().getAnnotations().getName(),
          true,
          StoreAction.TargetCase.SECRET,
          StoreAction::getSecret,
          StoreAction.Builder::setSecret,
          StoreSnapshot::getSecretsList,
          StoreSnapshot.Builder::addSecrets);
  public static final ObjectKind<Config> CONFIG =
      new ObjectKind<>(
          "config",
          Config.class,
          Config::getId,
          Config::getMeta,
          (o, m) -> o.toBuilder().setMeta(m).build(),
          o -> o.getSpec().getAnnotations().getName(),
          true,
          StoreAction.TargetCase.CONFIG,
          StoreAction::getConfig,
          StoreAction.Builder::setConfig,
          StoreSnapshot::getConfigsList,
          StoreSnapshot.Builder::addConfigs);

  /** Every kind, in a fixed order (snapshots and dumps list objects in this order). */
  public static final List<ObjectKind<?>> ALL =
      List.of(CLUSTER, NODE, SERVICE, TASK, NETWORK, SECRET, CONFIG);

  private final String name;
  private final Class<M> type;
  private final Function<M, String> id;
  private final Function<M, Meta> meta;
  private final BiFunction<M, Meta, M> withMeta;
  private final Function<M, String> objectName;
  private final boolean uniqueNames;
  private final StoreAction.TargetCase targetCase;
  private final Function<StoreAction, M> fromAction;
  private final BiConsumer<StoreAction.Builder, M> toAction;
  private final Function<StoreSnapshot, List<M>> fromSnapshot;
  private final BiConsumer<StoreSnapshot.Builder, M> toSnapshot;

  private ObjectKind(
      String name,
      Class<M> type,
      Function<M, String> id,
      Function<M, Meta> meta,
      BiFunction<M, Meta, M> withMeta,
      Function<M, String> objectName,
      boolean uniqueNames,
      StoreAction.TargetCase targetCase,
      Function<StoreAction, M> fromAction,
      BiConsumer<StoreAction.Builder, M> toAction,
      Function<StoreSnapshot, List<M>> fromSnapshot,
      BiConsumer<StoreSnapshot.Builder, M> toSnapshot) {
    this.name = name;
    this.type = type;
    this.id = id;
    this.meta = meta;
    this.withMeta = withMeta;
    this.objectName = objectName;
    this.uniqueNames = uniqueNames;
    this.targetCase = targetCase;
    this.fromAction = fromAction;
    this.toAction = toAction;
    this.fromSnapshot = fromSnapshot;
    this.toSnapshot = toSnapshot;
  }

  /** The kind of a store action's target. */
  public static ObjectKind<?> of(StoreAction action) {
    for (ObjectKind<?> kind : ALL) {
      if (kind.targetCase == action.getTargetCase()) {
        return kind;
      }
    }
    throw new StoreException(StoreException.Code.INVALID, "store action has no target object");
  }

  /** The kind whose objects are of the given class. */
  @SuppressWarnings("unchecked")
  public static <T extends Message> ObjectKind<T> of(Class<T> type) {
    for (ObjectKind<?> kind : ALL) {
      if (kind.type.equals(type)) {
        return (ObjectKind<T>) kind;
      }
    }
    throw new IllegalArgumentException(type.getName() + " is not a stored object type");
  }

  /** The kind of a stored object. */
  @SuppressWarnings("unchecked")
  public static <T extends Message> ObjectKind<T> of(T object) {
    return of((Class<T>) object.getClass());
  }

  public String name() {
    return name;
  }

  public Class<M> type() {
    return type;
  }

  public String id(M object) {
    return id.apply(object);
  }

  public Meta meta(M object) {
    return meta.apply(object);
  }

  public long version(M object) {
    return meta.apply(object).getVersion();
  }

  public M withMeta(M object, Meta newMeta) {
    return withMeta.apply(object, newMeta);
  }

  /** The object's unique name, or empty when this kind has no unique names. */
  public Optional<String> uniqueName(M object) {
    if (!uniqueNames) {
      return Optional.empty();
    }
    String n = objectName.apply(object);
    return n.isEmpty() ? Optional.empty() : Optional.of(n);
  }

  public boolean hasUniqueNames() {
    return uniqueNames;
  }

  public M cast(Message object) {
    return type.cast(object);
  }

  M target(StoreAction action) {
    return fromAction.apply(action);
  }

  StoreAction action(StoreAction.Kind kind, M object) {
    StoreAction.Builder b = StoreAction.newBuilder().setKind(kind);
    toAction.accept(b, object);
    return b.build();
  }

  List<M> fromSnapshot(StoreSnapshot snapshot) {
    return fromSnapshot.apply(snapshot);
  }

  void addToSnapshot(StoreSnapshot.Builder snapshot, Message object) {
    toSnapshot.accept(snapshot, type.cast(object));
  }

  @Override
  public String toString() {
    return name;
  }
}
