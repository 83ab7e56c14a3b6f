package io.corral.manager.ca;

import io.corral.api.Cluster;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ids of nodes removed from the cluster, whose certificates must be refused until they expire.
 */
public final class RemovedNodes {

  private RemovedNodes() {}

  /**
   * A live view for {@code PeerPolicy.rejectRemoved} and the RPC authoriser: each call reads the
   * keys of {@code Cluster.blacklisted_certificates} from the store afresh, so a removal applies to
   * the next call.
   */
  public static Supplier<Set<String>> of(Store store) {
    Objects.requireNonNull(store, "store");
    return () ->
        store.view(tx -> tx.list(ObjectKind.CLUSTER)).stream()
            .findFirst()
            .map(Cluster::getBlacklistedCertificatesMap)
            .map(removed -> Set.copyOf(removed.keySet()))
            .orElse(Set.of());
  }
}
