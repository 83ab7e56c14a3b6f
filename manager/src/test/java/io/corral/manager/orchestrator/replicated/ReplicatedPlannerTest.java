package io.corral.manager.orchestrator.replicated;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.ContainerSpec;
import io.corral.api.NodeStatus;
import io.corral.api.ReplicatedService;
import io.corral.api.RestartPolicy;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.manager.controller.ChangeWriter;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.controller.PlanningPass;
import io.corral.manager.orchestrator.ClusterSim;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

public class ReplicatedPlannerTest {

  private final ClusterSim sim = new ClusterSim();

  @AfterEach
  void close() {
    sim.close();
  }

  public static ServiceSpec.Builder replicated(long replicas) {
    return ServiceSpec.newBuilder()
        .setTask(
            TaskSpec.newBuilder()
                .setContainer(ContainerSpec.newBuilder().setImage("app:1"))
                .setRestart(
                    RestartPolicy.newBuilder()
                        .setDelay(com.google.protobuf.Duration.getDefaultInstance())))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(replicas));
  }

  private static void assertOnePerSlot(Map<Long, List<Task>> bySlot, long replicas) {
    assertThat(bySlot.keySet())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, replicas).boxed().toList());
    assertThat(bySlot.values()).allSatisfy(tasks -> assertThat(tasks).hasSize(1));
  }

  @Test
  void scalesTenToThirtyToFiveWithOneTaskPerSlot() {
    String id = sim.createService(replicated(10)).getId();
    sim.converge();
    assertOnePerSlot(sim.activeBySlot(id), 10);
    assertThat(sim.active(id))
        .allSatisfy(
            t -> {
              assertThat(t.getStatus().getState()).isEqualTo(TaskState.PENDING);
              assertThat(t.getDesiredState()).isEqualTo(TaskState.RUNNING);
            });

    sim.scale(id, 30);
    sim.converge();
    assertOnePerSlot(sim.activeBySlot(id), 30);

    sim.scale(id, 5);
    sim.converge();
    assertOnePerSlot(sim.activeBySlot(id), 5);
    // Never-assigned tasks of removed slots are finished at once, and the reaper deleted them.
    assertThat(sim.tasks(id)).hasSize(5);
  }

  @Test
  void scalingDownRemovesFromTheNodeWithMostTasksFirst() {
    sim.addNode("a");
    sim.addNode("b");
    String id = sim.createService(replicated(4)).getId();
    sim.settle();
    // Move two more tasks to node a by hand: a has 3, b has 1.
    sim.scale(id, 6);
    sim.converge();
    sim.updateNode(
        "b",
        n ->
            n.toBuilder()
                .setSpec(
                    n.getSpec().toBuilder()
                        .setAvailability(io.corral.api.NodeSpec.Availability.PAUSE))
                .build());
    sim.settle();
    Map<String, Long> before = perNode(sim.active(id));
    assertThat(before).containsEntry("a", 4L).containsEntry("b", 2L);

    sim.scale(id, 4);
    sim.settle();

    assertThat(perNode(sim.active(id))).containsEntry("a", 2L).containsEntry("b", 2L);
    assertThat(sim.active(id))
        .allSatisfy(t -> assertThat(t.getStatus().getState()).isEqualTo(TaskState.RUNNING));
  }

  private static Map<String, Long> perNode(List<Task> tasks) {
    return tasks.stream().collect(Collectors.groupingBy(Task::getNodeId, Collectors.counting()));
  }

  @Test
  void scaledAwayRunningTasksAreToldToGoAndReapedOnceStopped() {
    sim.addNode("a");
    String id = sim.createService(replicated(3)).getId();
    sim.settle();

    sim.scale(id, 1);
    sim.converge();
    assertThat(sim.tasks(id))
        .filteredOn(t -> t.getDesiredState() == TaskState.REMOVE)
        .hasSize(2)
        .allSatisfy(t -> assertThat(t.getStatus().getState()).isEqualTo(TaskState.RUNNING));

    sim.settle();
    assertThat(sim.tasks(id)).hasSize(1);
    assertThat(sim.tasks(id).get(0).getSlot()).isEqualTo(1);
  }

  @Test
  void theHistoryOfAScaledAwaySlotGoesWithIt() {
    sim.addNode("a");
    String id = sim.createService(replicated(2)).getId();
    sim.settle();
    Task second = sim.activeBySlot(id).get(2L).get(0);
    sim.report(second.getId(), TaskState.FAILED);
    sim.settle();
    assertThat(sim.tasks(id)).filteredOn(t -> t.getSlot() == 2).hasSize(2);

    sim.scale(id, 1);
    sim.settle();

    assertThat(sim.tasks(id)).extracting(Task::getSlot).containsExactly(1L);
  }

  @Test
  void aRestartedControllerNeverDuplicatesASlot() {
    String id = sim.createService(replicated(10)).getId();
    // The first leader wrote only part of its plan before it died.
    ClusterSnapshot snap = sim.store.view(ClusterSnapshot::read);
    Plan plan = new ReplicatedPlanner().plan(snap, sim.clock.instant());
    assertThat(plan.changes()).hasSize(10);
    ChangeWriter.apply(sim.store, new Plan(plan.groups().subList(0, 4), plan.wakeAt()));

    // The next leader's controllers start from the store alone.
    new PlanningPass("new-leader", sim.store, sim.clock, new ReplicatedPlanner()).run();
    new PlanningPass("new-leader", sim.store, sim.clock, new ReplicatedPlanner()).run();

    assertOnePerSlot(sim.activeBySlot(id), 10);
  }

  @Test
  void tasksOnADownNodeAreReplacedElsewhereAndToldToStop() {
    sim.addNode("a");
    sim.addNode("b");
    String id = sim.createService(replicated(4)).getId();
    sim.settle();
    List<String> onA =
        sim.active(id).stream().filter(t -> t.getNodeId().equals("a")).map(Task::getId).toList();
    assertThat(onA).hasSize(2);

    sim.nodeState("a", NodeStatus.State.DOWN);
    sim.settle();

    assertOnePerSlot(sim.activeBySlot(id), 4);
    assertThat(sim.active(id))
        .allSatisfy(
            t -> {
              assertThat(t.getNodeId()).isEqualTo("b");
              assertThat(t.getStatus().getState()).isEqualTo(TaskState.RUNNING);
            });
    // The old tasks are kept as history, with desired SHUTDOWN so that a returning agent stops
    // them.
    assertThat(onA)
        .allSatisfy(t -> assertThat(sim.task(t).getDesiredState()).isEqualTo(TaskState.SHUTDOWN));

    sim.nodeState("a", NodeStatus.State.READY);
    sim.settle();
    assertThat(onA)
        .allSatisfy(
            t -> assertThat(sim.task(t).getStatus().getState()).isEqualTo(TaskState.SHUTDOWN));
    assertOnePerSlot(sim.activeBySlot(id), 4);
  }

  @Test
  void drainShutsTasksDownAndRefillsTheirSlotsElsewhere() {
    sim.addNode("a");
    sim.addNode("b");
    String id = sim.createService(replicated(4)).getId();
    sim.settle();

    sim.drain("a");
    sim.converge();
    assertThat(sim.tasks(id))
        .filteredOn(t -> t.getNodeId().equals("a"))
        .hasSize(2)
        .allSatisfy(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.SHUTDOWN));
    assertOnePerSlot(sim.activeBySlot(id), 4);

    sim.settle();
    assertOnePerSlot(sim.activeBySlot(id), 4);
    assertThat(sim.active(id))
        .allSatisfy(
            t -> {
              assertThat(t.getNodeId()).isEqualTo("b");
              assertThat(t.getStatus().getState()).isEqualTo(TaskState.RUNNING);
            });
    assertThat(sim.tasks(id))
        .filteredOn(t -> t.getNodeId().equals("a"))
        .allSatisfy(t -> assertThat(t.getStatus().getState()).isEqualTo(TaskState.SHUTDOWN));
  }

  @Test
  void tasksOfADeletedServiceAreDeletedOnceStopped() {
    sim.addNode("a");
    String id = sim.createService(replicated(2)).getId();
    sim.settle();

    sim.store.update(tx -> tx.delete(io.corral.manager.store.ObjectKind.SERVICE, id));
    sim.settle();

    assertThat(sim.tasks(id)).isEmpty();
  }
}
