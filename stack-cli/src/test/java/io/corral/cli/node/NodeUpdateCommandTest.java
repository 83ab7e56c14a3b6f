package io.corral.cli.node;

import static io.corral.cli.FakeDaemon.NODE_VERSION;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Node;
import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.api.UpdateNodeRequest;
import io.corral.api.Version;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeUpdateCommandTest {

  static final String BETA = "9hgf8d7s6a5p4o3i2u1y0t9r8";

  @TempDir Path dir;
  FakeDaemon daemon;
  Node beta;

  @BeforeEach
  void start() throws Exception {
    Node b = worker(BETA, "beta", "10.0.0.2");
    beta =
        b.toBuilder()
            .setSpec(
                b.getSpec().toBuilder()
                    .setAnnotations(
                        b.getSpec().getAnnotations().toBuilder()
                            .putLabels("zone", "b")
                            .putLabels("disk", "hdd")))
            .build();
    daemon = FakeDaemon.start(dir).self(BETA, "10.0.0.2:2377").add(beta);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  /** The one update sent. */
  private UpdateNodeRequest sent() {
    assertThat(daemon.requests(UpdateNodeRequest.class)).hasSize(1);
    UpdateNodeRequest u = daemon.requests(UpdateNodeRequest.class).get(0);
    assertThat(u.getNodeId()).isEqualTo(BETA);
    assertThat(u.getNodeVersion()).isEqualTo(Version.newBuilder().setIndex(NODE_VERSION).build());
    return u;
  }

  @Test
  void availabilityDrainIsSentWithTheRestOfTheSpec() {
    Result r = daemon.run("node", "update", "--availability", "drain", "beta");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    // docker prints the NODE argument.
    assertThat(r.out()).isEqualTo("beta\n");
    assertThat(sent().getSpec())
        .isEqualTo(beta.getSpec().toBuilder().setAvailability(NodeSpec.Availability.DRAIN).build());
    assertThat(daemon.node(BETA).getSpec().getAvailability())
        .isEqualTo(NodeSpec.Availability.DRAIN);
  }

  @Test
  void availabilityIsCaseInsensitive() {
    Result r = daemon.run("node", "update", "--availability", "PAUSE", BETA);

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(BETA + "\n");
    assertThat(sent().getSpec().getAvailability()).isEqualTo(NodeSpec.Availability.PAUSE);
  }

  @Test
  void anInvalidAvailabilityFailsWithoutTouchingTheNode() {
    Result r = daemon.run("node", "update", "--availability", "sleepy", "beta");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "invalid argument \"sleepy\" for \"--availability\" flag: "
                + "must be one of \"active\", \"pause\", \"drain\"\n");
    // Checked like a flag: before the node is even read.
    assertThat(daemon.calls()).isEmpty();
  }

  @Test
  void roleManagerIsSent() {
    Result r = daemon.run("node", "update", "--role", "manager", "self");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("self\n");
    assertThat(sent().getSpec())
        .isEqualTo(beta.getSpec().toBuilder().setDesiredRole(NodeRole.MANAGER).build());
  }

  @Test
  void anInvalidRoleFailsWithoutTouchingTheNode() {
    Result r = daemon.run("node", "update", "--role", "boss", "beta");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "invalid argument \"boss\" for \"--role\" flag: must be \"worker\" or \"manager\"\n");
    assertThat(daemon.calls()).isEmpty();
  }

  @Test
  void labelsAreAddedReplacedAndRemoved() {
    Result r =
        daemon.run(
            "node",
            "update",
            "--label-add",
            "zone=c",
            "--label-add",
            "gpu",
            "--label-add",
            "k=a=b",
            "--label-rm",
            "disk",
            "beta");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("beta\n");
    NodeSpec spec = sent().getSpec();
    assertThat(spec.getAnnotations().getLabelsMap())
        .isEqualTo(Map.of("zone", "c", "gpu", "", "k", "a=b"));
    assertThat(spec.toBuilder().setAnnotations(beta.getSpec().getAnnotations()).build())
        .isEqualTo(beta.getSpec());
  }

  @Test
  void removingAMissingLabelFailsWithoutAnUpdate() {
    Result r = daemon.run("node", "update", "--label-rm", "colour", "beta");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("key colour doesn't exist in node's labels\n");
    assertThat(daemon.requests(UpdateNodeRequest.class)).isEmpty();
  }

  @Test
  void aLabelWithoutNameIsRefused() {
    Result r = daemon.run("node", "update", "--label-add", "=x", "beta");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "invalid argument \"=x\" for \"--label-add\" flag: invalid label '=x': "
                + "empty name\n");
    assertThat(daemon.calls()).isEmpty();
  }

  @Test
  void severalChangesGoInOneUpdate() {
    Result r =
        daemon.run(
            "node",
            "update",
            "--availability",
            "active",
            "--role",
            "worker",
            "--label-add",
            "a=1",
            "beta");

    assertThat(r.exitCode()).isZero();
    NodeSpec.Builder expected = beta.getSpec().toBuilder();
    expected.getAnnotationsBuilder().putLabels("a", "1");
    assertThat(sent().getSpec()).isEqualTo(expected.build());
  }

  @Test
  void anUnknownNodeIsAnError() {
    Result r = daemon.run("node", "update", "--availability", "drain", "nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("Error: No such node: nope\n");
    assertThat(daemon.requests(UpdateNodeRequest.class)).isEmpty();
  }
}
