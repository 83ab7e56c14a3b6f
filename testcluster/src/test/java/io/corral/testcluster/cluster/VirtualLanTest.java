package io.corral.testcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corral.testcluster.NeedsRoot;
import io.corral.testcluster.net.Namespaces;
import io.corral.testcluster.net.Shell;
import io.corral.testcluster.net.Subnet;
import io.corral.testcluster.net.VirtualLan;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Three namespaces on one virtual LAN: addressing, reachability, partition and heal. */
@NeedsRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualLanTest {

  private static final List<String> NODES = List.of("n1", "n2", "n3");

  // A name of its own, so that a cluster started by hand (or another test) is never touched.
  private final VirtualLan lan =
      new VirtualLan(
          "vl" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()),
          Subnet.parse("10.77.0.0/24"));

  @BeforeAll
  void create() {
    lan.create();
    NODES.forEach(lan::addNode);
  }

  @AfterAll
  void remove() {
    lan.removeAll();
    assertThat(Namespaces.list()).noneMatch(lan.names()::owns);
  }

  private boolean reachable(String from, String to) {
    return Probe.reachable(cmd -> lan.inside(from, cmd), lan.address(to));
  }

  @Test
  void nodesGetAddressesFromTheSubnetOnEth0() {
    assertThat(NODES.stream().map(lan::address))
        .containsExactly("10.77.0.11", "10.77.0.12", "10.77.0.13");
    String eth0 =
        Shell.check(
                lan.inside("n2", List.of("ip", "-o", "-4", "addr", "show", "dev", "eth0")),
                Duration.ofSeconds(10))
            .stdout();
    assertThat(eth0).contains("10.77.0.12/24");
    assertThat(lan.existingNamespaces())
        .containsExactlyInAnyOrder(
            lan.names().lanNamespace(),
            lan.namespace("n1"),
            lan.namespace("n2"),
            lan.namespace("n3"));
  }

  @Test
  void everyNodeReachesEveryOther() {
    for (String from : NODES) {
      for (String to : NODES) {
        if (!from.equals(to)) {
          assertThat(reachable(from, to)).as("%s -> %s", from, to).isTrue();
        }
      }
    }
  }

  @Test
  void partitionCutsANodeOffBothWaysAndHealBringsItBack() {
    try {
      lan.partition("n2");
      lan.partition("n2"); // idempotent
      assertThat(lan.isPartitioned("n2")).isTrue();
      assertThat(reachable("n1", "n2")).as("n1 -> n2").isFalse();
      assertThat(reachable("n2", "n1")).as("n2 -> n1").isFalse();
      assertThat(reachable("n3", "n2")).as("n3 -> n2").isFalse();
      assertThat(reachable("n1", "n3")).as("the others still talk").isTrue();

      lan.heal("n2");
      lan.heal("n2");
      assertThat(lan.isPartitioned("n2")).isFalse();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> reachable("n1", "n2") && reachable("n2", "n3"));
    } finally {
      lan.heal("n2");
    }
  }

  @Test
  void nodeNamesMustFitTheInterfaceNameLimit() {
    assertThatThrownBy(() -> lan.addNode("abcdefghijklmn")).hasMessageContaining("1-13 characters");
    assertThatThrownBy(() -> lan.addNode("a-b")).hasMessageContaining("invalid node name");
    assertThatThrownBy(() -> lan.addNode("n1")).hasMessageContaining("already");
  }
}
