package io.corral.manager.orchestrator.global;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.ContainerSpec;
import io.corral.api.GlobalService;
import io.corral.api.NodeStatus;
import io.corral.api.Placement;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.manager.orchestrator.ClusterSim;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GlobalPlannerTest {

  private final ClusterSim sim = new ClusterSim();

  @AfterEach
  void close() {
    sim.close();
  }

  static ServiceSpec.Builder global() {
    return ServiceSpec.newBuilder()
        .setTask(TaskSpec.newBuilder().setContainer(ContainerSpec.newBuilder().setImage("agent:1")))
        .setGlobal(GlobalService.getDefaultInstance());
  }

  private List<String> activeNodes(String serviceId) {
    return sim.active(serviceId).stream().map(Task::getNodeId).sorted().toList();
  }

  @Test
  void oneTaskPerReadyNodeAndOneMoreForANewNode() {
    sim.addNode("a");
    sim.addNode("b");
    sim.addNode("c");
    sim.nodeState("c", NodeStatus.State.DOWN);
    String id = sim.createService(global()).getId();
    sim.converge();

    assertThat(activeNodes(id)).containsExactly("a", "b");
    assertThat(sim.active(id))
        .allSatisfy(
            t -> {
              assertThat(t.getSlot()).isZero();
              assertThat(t.getAnnotations().getName()).startsWith("web1." + t.getNodeId() + ".");
            });

    sim.addNode("d");
    sim.converge();
    assertThat(activeNodes(id)).containsExactly("a", "b", "d");

    sim.nodeState("c", NodeStatus.State.READY);
    sim.settle();
    assertThat(activeNodes(id)).containsExactly("a", "b", "c", "d");
    assertThat(sim.active(id))
        .allSatisfy(t -> assertThat(t.getStatus().getState()).isEqualTo(TaskState.RUNNING));
  }

  @Test
  void drainedNodesLoseTheirTaskAndGetANewOneWhenActiveAgain() {
    sim.addNode("a");
    sim.addNode("b");
    String id = sim.createService(global()).getId();
    sim.settle();
    Task onB =
        sim.active(id).stream().filter(t -> t.getNodeId().equals("b")).findFirst().orElseThrow();

    sim.drain("b");
    sim.settle();
    assertThat(activeNodes(id)).containsExactly("a");
    assertThat(sim.task(onB.getId()).getDesiredState()).isEqualTo(TaskState.SHUTDOWN);
    assertThat(sim.task(onB.getId()).getStatus().getState()).isEqualTo(TaskState.SHUTDOWN);

    sim.updateNode(
        "b",
        n ->
            n.toBuilder()
                .setSpec(
                    n.getSpec().toBuilder()
                        .setAvailability(io.corral.api.NodeSpec.Availability.ACTIVE))
                .build());
    sim.settle();
    assertThat(activeNodes(id)).containsExactly("a", "b");
  }

  @Test
  void downNodesLoseTheirTaskAndRemovedNodesToo() {
    sim.addNode("a");
    sim.addNode("b");
    String id = sim.createService(global()).getId();
    sim.settle();

    sim.nodeState("b", NodeStatus.State.DOWN);
    sim.converge();
    assertThat(activeNodes(id)).containsExactly("a");

    sim.store.update(tx -> tx.delete(io.corral.manager.store.ObjectKind.NODE, "a"));
    sim.converge();
    assertThat(sim.active(id)).isEmpty();
  }

  @Test
  void onlyNodesMatchingTheConstraintsGetATaskAndLabelChangesAreEnforced() {
    sim.addNode("a");
    sim.addNode("b");
    sim.updateNode(
        "a",
        n ->
            n.toBuilder()
                .setSpec(
                    n.getSpec().toBuilder()
                        .setAnnotations(
                            n.getSpec().getAnnotations().toBuilder().putLabels("zone", "east")))
                .build());
    ServiceSpec.Builder spec = global();
    spec.getTaskBuilder()
        .setPlacement(Placement.newBuilder().addConstraints("node.labels.zone==east"));
    String id = sim.createService(spec).getId();
    sim.settle();
    assertThat(activeNodes(id)).containsExactly("a");

    sim.updateNode(
        "a",
        n ->
            n.toBuilder()
                .setSpec(
                    n.getSpec().toBuilder()
                        .setAnnotations(
                            n.getSpec().getAnnotations().toBuilder().putLabels("zone", "west")))
                .build());
    sim.settle();
    assertThat(sim.active(id)).isEmpty();
  }

  @Test
  void aFailedTaskIsRestartedOnItsOwnNode() {
    sim.addNode("a");
    ServiceSpec.Builder spec = global();
    spec.getTaskBuilder()
        .getRestartBuilder()
        .setDelay(com.google.protobuf.Duration.getDefaultInstance());
    String id = sim.createService(spec).getId();
    sim.settle();
    Task first = sim.active(id).get(0);

    sim.report(first.getId(), TaskState.FAILED);
    sim.settle();

    assertThat(sim.active(id))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getId()).isNotEqualTo(first.getId());
              assertThat(t.getNodeId()).isEqualTo("a");
              assertThat(t.getStatus().getState()).isEqualTo(TaskState.RUNNING);
            });
  }
}
