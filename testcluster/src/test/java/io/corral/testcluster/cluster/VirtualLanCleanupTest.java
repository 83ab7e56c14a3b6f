package io.corral.testcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testcluster.NeedsRoot;
import io.corral.testcluster.net.Namespaces;
import io.corral.testcluster.net.Shell;
import io.corral.testcluster.net.Subnet;
import io.corral.testcluster.net.VirtualLan;
import java.io.File;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** removeAll() clears what another run left, leaves other clusters alone, and can be repeated. */
@NeedsRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualLanCleanupTest {

  private final String name =
      "vc" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  // A cluster whose name starts with ours followed by a dash: its namespaces must survive our
  // removeAll().
  private final String neighbour = name + "-b";

  @AfterAll
  void cleanUp() {
    new VirtualLan(name, Subnet.DEFAULT).removeAll();
    new VirtualLan(neighbour, Subnet.DEFAULT).removeAll();
  }

  private static String hostLinks() {
    return Shell.check(List.of("ip", "-o", "link", "show"), Duration.ofSeconds(10)).stdout();
  }

  @Test
  void removeAllClearsLeftoversOfAnotherRunAndIsIdempotent() throws Exception {
    VirtualLan crashed = new VirtualLan(name, Subnet.DEFAULT);
    crashed.addNode("m1");
    crashed.addNode("w1");
    Process sleeper =
        new ProcessBuilder(crashed.inside("m1", List.of("sleep", "300")))
            .redirectOutput(new File("/dev/null"))
            .redirectErrorStream(true)
            .start();
    // A veth end in the host's namespace would show up there with "link-netns crl-NAME-…".
    assertThat(hostLinks()).as("no interface of ours in the host's namespace").doesNotContain(name);

    // As a later `bin/testcluster down` would: a fresh instance that knows only the name.
    VirtualLan later = new VirtualLan(name, Subnet.DEFAULT);
    assertThat(later.existingNamespaces()).hasSize(3);
    later.removeAll();
    assertThat(later.existingNamespaces()).isEmpty();
    assertThat(Namespaces.list()).noneMatch(later.names()::owns);
    await().atMost(Duration.ofSeconds(10)).until(() -> !sleeper.isAlive());
    assertThat(hostLinks()).doesNotContain(name);

    later.removeAll();
    crashed.removeAll();
  }

  @Test
  void removeAllLeavesAClusterWithALongerNameAlone() {
    VirtualLan ours = new VirtualLan(name, Subnet.DEFAULT);
    VirtualLan theirs = new VirtualLan(neighbour, Subnet.DEFAULT);
    try {
      ours.addNode("m1");
      theirs.addNode("m1");
      ours.removeAll();
      assertThat(theirs.existingNamespaces())
          .containsExactlyInAnyOrder(theirs.names().lanNamespace(), theirs.namespace("m1"));
    } finally {
      ours.removeAll();
      theirs.removeAll();
    }
  }
}
