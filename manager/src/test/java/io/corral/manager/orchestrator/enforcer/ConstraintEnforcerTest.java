package io.corral.manager.orchestrator.enforcer;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.api.Placement;
import io.corral.api.ServiceSpec;
import io.corral.api.TaskState;
import io.corral.manager.orchestrator.ClusterSim;
import io.corral.manager.orchestrator.replicated.ReplicatedPlannerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConstraintEnforcerTest {

  private final ClusterSim sim = new ClusterSim();

  @AfterEach
  void close() {
    sim.close();
  }

  @Test
  void pausedNodesKeepTheirTasksWhateverChanged() {
    sim.addNode("a");
    String id = sim.createService(ReplicatedPlannerTest.replicated(2)).getId();
    sim.settle();

    sim.updateNode(
        "a",
        n ->
            n.toBuilder()
                .setSpec(n.getSpec().toBuilder().setAvailability(NodeSpec.Availability.PAUSE))
                .build());
    sim.settle();

    assertThat(sim.tasks(id))
        .hasSize(2)
        .allSatisfy(
            t -> {
              assertThat(t.getDesiredState()).isEqualTo(TaskState.RUNNING);
              assertThat(t.getStatus().getState()).isEqualTo(TaskState.RUNNING);
            });
  }

  @Test
  void aRoleChangeThatBreaksTheConstraintsMovesTheTasks() {
    sim.addNode("m");
    sim.addNode("w");
    sim.updateNode("m", n -> n.toBuilder().setRole(NodeRole.MANAGER).build());
    ServiceSpec.Builder spec = ReplicatedPlannerTest.replicated(2);
    spec.getTaskBuilder().setPlacement(Placement.newBuilder().addConstraints("node.role==manager"));
    String id = sim.createService(spec).getId();
    // The scheduler stand-in ignores constraints: place both tasks on m by pausing w.
    sim.updateNode(
        "w",
        n ->
            n.toBuilder()
                .setSpec(n.getSpec().toBuilder().setAvailability(NodeSpec.Availability.PAUSE))
                .build());
    sim.settle();
    assertThat(sim.active(id)).allSatisfy(t -> assertThat(t.getNodeId()).isEqualTo("m"));

    sim.updateNode("m", n -> n.toBuilder().setRole(NodeRole.WORKER).build());
    sim.converge();

    assertThat(sim.tasks(id))
        .filteredOn(t -> t.getNodeId().equals("m"))
        .hasSize(2)
        .allSatisfy(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.SHUTDOWN));
    assertThat(sim.activeBySlot(id))
        .containsOnlyKeys(1L, 2L)
        .allSatisfy(
            (slot, tasks) ->
                assertThat(tasks)
                    .singleElement()
                    .satisfies(t -> assertThat(t.getNodeId()).isEmpty()));
  }
}
