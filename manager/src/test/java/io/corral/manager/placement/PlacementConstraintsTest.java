package io.corral.manager.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Annotations;
import io.corral.api.EngineDescription;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.api.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementConstraintsTest {

  private final ConstraintCheck check = new PlacementConstraints();
  private final Node node =
      Node.newBuilder()
          .setId("n1")
          .setRole(NodeRole.MANAGER)
          .setSpec(
              NodeSpec.newBuilder()
                  .setAnnotations(Annotations.newBuilder().putLabels("zone", "East")))
          .setDescription(
              NodeDescription.newBuilder()
                  .setHostname("box1")
                  .setPlatform(Platform.newBuilder().setOs("linux").setArchitecture("x86_64"))
                  .setEngine(EngineDescription.newBuilder().putLabels("disk", "ssd")))
          .build();

  private boolean holds(String... constraints) {
    return check.matches(List.of(constraints), node);
  }

  @Test
  void matchesEveryKnownKey() {
    assertThat(
            holds(
                "node.id==n1",
                "node.hostname==box1",
                "node.role==manager",
                "node.platform.os==linux",
                "node.platform.arch==amd64",
                "node.labels.zone==east",
                "engine.labels.disk==ssd"))
        .isTrue();
    assertThat(holds("node.role==worker")).isFalse();
    assertThat(holds("node.hostname!=box1")).isFalse();
    assertThat(holds("node.hostname != box2")).isTrue();
  }

  @Test
  void aMissingLabelOnlySatisfiesNotEqual() {
    assertThat(holds("node.labels.rack==r1")).isFalse();
    assertThat(holds("node.labels.rack!=r1")).isTrue();
  }

  @Test
  void malformedOrUnknownConstraintsNeverHold() {
    assertThat(holds("node.colour==blue")).isFalse();
    assertThat(holds("node.colour!=blue")).isFalse();
    assertThat(holds("node.role=manager")).isFalse();
    assertThat(holds("==x")).isFalse();
    assertThat(holds()).isTrue();
  }

  @Test
  void problemExplainsWhatIsWrongAndAcceptsWhatMatchesCanUse() {
    assertThat(PlacementConstraints.problem("node.role=manager"))
        .hasValueSatisfying(m -> assertThat(m).contains("expected one operator from ==, !="));
    assertThat(PlacementConstraints.problem("node.colour==blue"))
        .hasValueSatisfying(
            m ->
                assertThat(m).contains("unknown key \"node.colour\"").contains("node.labels.NAME"));
    assertThat(PlacementConstraints.problem("node.role==boss"))
        .hasValueSatisfying(m -> assertThat(m).contains("\"manager\" or \"worker\""));
    assertThat(PlacementConstraints.problem("node.labels.==a"))
        .hasValueSatisfying(m -> assertThat(m).contains("label name missing"));
    assertThat(PlacementConstraints.problem("==x"))
        .hasValueSatisfying(m -> assertThat(m).contains("no key"));
    assertThat(PlacementConstraints.problem("node.id=="))
        .hasValueSatisfying(m -> assertThat(m).contains("no value"));
    assertThat(PlacementConstraints.problem("node.id==a==b"))
        .hasValueSatisfying(m -> assertThat(m).contains("more than one operator"));
    for (String ok :
        List.of(
            "node.id==n1",
            "node.hostname != box2",
            "node.role==Manager",
            "node.platform.os==linux",
            "node.platform.arch==amd64",
            "node.labels.zone==east",
            "engine.labels.disk!=hdd",
            "NODE.LABELS.Zone==x")) {
      assertThat(PlacementConstraints.problem(ok)).as(ok).isEmpty();
    }
  }
}
