package io.corral.testcluster.store;

import io.corral.api.Annotations;
import io.corral.api.Config;
import io.corral.api.ConfigSpec;
import io.corral.api.StoreAction;
import io.corral.api.StoreBatch;
import io.corral.api.StoreSnapshot;
import io.corral.manager.store.RaftStoreClient;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Writes numbered config objects through a store client and remembers which writes were
 * acknowledged.
 */
final class Writer {

  private final Set<String> acknowledged = new ConcurrentSkipListSet<>();

  static StoreBatch create(String id) {
    Config config =
        Config.newBuilder()
            .setId(id)
            .setSpec(ConfigSpec.newBuilder().setAnnotations(Annotations.newBuilder().setName(id)))
            .build();
    return StoreBatch.newBuilder()
        .addActions(StoreAction.newBuilder().setKind(StoreAction.Kind.CREATE).setConfig(config))
        .build();
  }

  /** Commits one create; records it only once the store acknowledged it. */
  long write(RaftStoreClient client, String id) {
    long index = client.commit(create(id));
    acknowledged.add(id);
    return index;
  }

  Set<String> acknowledged() {
    return new TreeSet<>(acknowledged);
  }

  static Set<String> configIds(StoreSnapshot dump) {
    Set<String> ids = new TreeSet<>();
    dump.getConfigsList().forEach(c -> ids.add(c.getId()));
    return ids;
  }
}
