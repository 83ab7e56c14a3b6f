package io.corral.manager.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.Cluster;
import io.corral.api.NodeDescription;
import io.corral.api.NodeSpec;
import io.corral.manager.ca.RootCA;
import io.corral.manager.ca.TestPki;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.tls.NodeRole;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterBootstrapTest {

  private static final ClusterBootstrap.Settings DEFAULTS =
      new ClusterBootstrap.Settings(
          ClusterBootstrap.DEFAULT_CERT_EXPIRY,
          ClusterBootstrap.DEFAULT_HEARTBEAT,
          ClusterBootstrap.DEFAULT_TASK_HISTORY,
          NodeSpec.Availability.ACTIVE);

  private static Cluster bootstrap(ClusterBootstrap.Settings settings) {
    try (InMemoryStore store = new InMemoryStore()) {
      RootCA ca = RootCA.create("cluster1");
      ClusterBootstrap.write(
          store,
          ca,
          TestPki.node(ca, "node1", NodeRole.MANAGER),
          NodeDescription.getDefaultInstance(),
          "127.0.0.1:4242",
          "127.0.0.1:2377",
          "127.0.0.1",
          settings);
      return store.view(tx -> tx.list(ObjectKind.CLUSTER)).get(0);
    }
  }

  @Test
  void theClusterKeepsTheDefaultAddressPoolOfSwarmInit() {
    Cluster defaults = bootstrap(DEFAULTS);
    assertThat(defaults.getDefaultAddressPoolList()).containsExactly("10.0.0.0/8");
    assertThat(defaults.getSubnetSize()).isEqualTo(24);

    Cluster chosen =
        bootstrap(DEFAULTS.withAddressPool(List.of("10.20.0.0/16", "192.168.0.0/20"), 26));
    assertThat(chosen.getDefaultAddressPoolList())
        .containsExactly("10.20.0.0/16", "192.168.0.0/20");
    assertThat(chosen.getSubnetSize()).isEqualTo(26);

    assertThatThrownBy(() -> DEFAULTS.withAddressPool(List.of("10.20.0.0/16"), 12))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--default-addr-pool-mask-length:");
  }
}
