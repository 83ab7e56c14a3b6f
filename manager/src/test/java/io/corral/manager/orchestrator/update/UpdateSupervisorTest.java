package io.corral.manager.orchestrator.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.UpdateConfig;
import io.corral.api.UpdateStatus.UpdateState;
import io.corral.manager.orchestrator.ClusterSim;
import io.corral.manager.orchestrator.replicated.ReplicatedPlannerTest;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpdateSupervisorTest {

  private final ClusterSim sim = new ClusterSim();

  @BeforeEach
  void nodes() {
    sim.addNode("a");
    sim.addNode("b");
  }

  @AfterEach
  void close() {
    sim.close();
  }

  private String service(int replicas, UpdateConfig.Builder update) {
    ServiceSpec.Builder spec = ReplicatedPlannerTest.replicated(replicas);
    spec.getTaskBuilder().getContainerBuilder().setImage("app:1");
    spec.setUpdate(update);
    String id = sim.createVersioned(spec).getId();
    sim.settle();
    return id;
  }

  private void image(String id, String image) {
    sim.updateSpec(
        id,
        s ->
            s.toBuilder()
                .setTask(
                    s.getTask().toBuilder()
                        .setContainer(s.getTask().getContainer().toBuilder().setImage(image)))
                .build());
  }

  private long running(String id, String image) {
    return sim.active(id).stream()
        .filter(t -> t.getStatus().getState() == TaskState.RUNNING)
        .filter(t -> t.getSpec().getContainer().getImage().equals(image))
        .count();
  }

  private long runningAny(String id) {
    return sim.tasks(id).stream()
        .filter(t -> t.getStatus().getState() == TaskState.RUNNING)
        .count();
  }

  /** Controllers, scheduler and agents one round at a time, checking after each step. */
  private void stepUntilQuiet(Consumer<String> check, String id) {
    for (int i = 0; i < 200; i++) {
      long before = sim.tasks(id).hashCode() + sim.service(id).hashCode();
      sim.converge();
      check.accept(id);
      sim.schedule();
      check.accept(id);
      sim.agents();
      check.accept(id);
      if (sim.tasks(id).hashCode() + sim.service(id).hashCode() == before) {
        return;
      }
    }
  }

  private static UpdateConfig.Builder config(int parallelism) {
    return UpdateConfig.newBuilder().setParallelism(parallelism).setMonitor(Duration.newBuilder());
  }

  @Test
  void aScaleAloneReplacesNothing() {
    String id = service(3, config(1));
    List<String> before = sim.active(id).stream().map(Task::getId).sorted().toList();
    sim.scale(id, 3);
    sim.settle();
    assertThat(sim.active(id).stream().map(Task::getId).sorted().toList()).isEqualTo(before);
    assertThat(sim.service(id).hasUpdateStatus()).isFalse();
  }

  @Test
  void stopFirstKeepsAllButParallelismSlotsRunningAndCompletes() {
    String id = service(5, config(2));
    image(id, "app:2");
    stepUntilQuiet(
        s -> {
          assertThat(
                  sim.active(s).stream()
                      .filter(t -> t.getStatus().getState() == TaskState.RUNNING)
                      .count())
              .isGreaterThanOrEqualTo(3);
          // Never two tasks running in one slot: a replacement waits for its predecessor.
          assertThat(runningAny(s)).isLessThanOrEqualTo(5);
        },
        id);
    assertThat(running(id, "app:2")).isEqualTo(5);
    assertThat(sim.active(id)).hasSize(5);
    assertThat(sim.service(id).getUpdateStatus().getState()).isEqualTo(UpdateState.COMPLETED);
    assertThat(sim.service(id).getUpdateStatus().getMessage()).isEqualTo("update completed");
  }

  @Test
  void startFirstNeverHasFewerThanReplicasRunning() {
    String id = service(3, config(1).setOrder(UpdateConfig.UpdateOrder.START_FIRST));
    image(id, "app:2");
    stepUntilQuiet(s -> assertThat(runningAny(s)).isGreaterThanOrEqualTo(3), id);
    assertThat(running(id, "app:2")).isEqualTo(3);
    assertThat(sim.activeBySlot(id).values()).allSatisfy(l -> assertThat(l).hasSize(1));
  }

  @Test
  void aFailingReplacementPausesTheUpdate() {
    String id =
        service(
            4,
            config(1)
                .setMonitor(Duration.newBuilder().setSeconds(30))
                .setDelay(Duration.newBuilder().setSeconds(10)));
    image(id, "app:bad");
    sim.settle();
    Task bad =
        sim.active(id).stream()
            .filter(t -> t.getSpec().getContainer().getImage().equals("app:bad"))
            .findFirst()
            .orElseThrow();
    sim.report(bad.getId(), TaskState.FAILED);
    sim.settle();
    var status = sim.service(id).getUpdateStatus();
    assertThat(status.getState()).isEqualTo(UpdateState.PAUSED);
    assertThat(status.getMessage())
        .isEqualTo("update paused due to failure or early termination of task " + bad.getId());
    assertThat(running(id, "app:1")).isEqualTo(3);
    sim.clock.advance(java.time.Duration.ofSeconds(60));
    sim.settle();
    assertThat(running(id, "app:1")).as("a paused update replaces nothing more").isEqualTo(3);
  }

  @Test
  void failureActionRollbackReturnsToThePreviousSpec() {
    String id =
        service(
            3,
            config(1)
                .setMonitor(Duration.newBuilder().setSeconds(30))
                .setFailureAction(UpdateConfig.FailureAction.ROLLBACK));
    image(id, "app:bad");
    sim.settle();
    Task bad =
        sim.active(id).stream()
            .filter(t -> t.getSpec().getContainer().getImage().equals("app:bad"))
            .findFirst()
            .orElseThrow();
    sim.report(bad.getId(), TaskState.FAILED);
    sim.settle();
    assertThat(sim.service(id).getUpdateStatus().getState())
        .isEqualTo(UpdateState.ROLLBACK_STARTED);
    sim.clock.advance(java.time.Duration.ofSeconds(31));
    sim.settle();
    assertThat(sim.service(id).getUpdateStatus().getState())
        .isEqualTo(UpdateState.ROLLBACK_COMPLETED);
    assertThat(sim.service(id).getSpec().getTask().getContainer().getImage()).isEqualTo("app:1");
    assertThat(running(id, "app:1")).isEqualTo(3);
  }

  @Test
  void completionWaitsForTheMonitorWindow() {
    String id = service(2, config(0).setMonitor(Duration.newBuilder().setSeconds(10)));
    image(id, "app:2");
    sim.settle();
    assertThat(running(id, "app:2")).isEqualTo(2);
    assertThat(sim.service(id).getUpdateStatus().getState()).isEqualTo(UpdateState.UPDATING);
    sim.clock.advance(java.time.Duration.ofSeconds(10));
    sim.settle();
    assertThat(sim.service(id).getUpdateStatus().getState()).isEqualTo(UpdateState.COMPLETED);
  }

  @Test
  void delayHoldsTheNextSlot() {
    String id = service(2, config(1).setDelay(Duration.newBuilder().setSeconds(5)));
    image(id, "app:2");
    sim.settle();
    assertThat(running(id, "app:2")).isEqualTo(1);
    sim.clock.advance(java.time.Duration.ofSeconds(5));
    sim.settle();
    assertThat(running(id, "app:2")).isEqualTo(2);
  }

  @Test
  void aCanaryHoldsUntilPromoted() {
    String id = service(3, config(1).setCanary(1));
    image(id, "app:2");
    sim.settle();
    var status = sim.service(id).getUpdateStatus();
    assertThat(status.getState()).isEqualTo(UpdateState.CANARY);
    assertThat(status.getMessage()).isEqualTo("canary: 1 of 3 slots updated; promote or roll back");
    assertThat(running(id, "app:2")).isEqualTo(1);
    sim.updateService(id, UpdateStatuses::promoted);
    sim.settle();
    assertThat(running(id, "app:2")).isEqualTo(3);
    assertThat(sim.service(id).getUpdateStatus().getState()).isEqualTo(UpdateState.COMPLETED);
  }

  @Test
  void anAutoCanaryPromotesItselfAndAFailedOneRollsBack() {
    String id =
        service(3, config(1).setCanary(1).setCanaryAuto(Duration.newBuilder().setSeconds(20)));
    image(id, "app:2");
    sim.settle();
    assertThat(sim.service(id).getUpdateStatus().getState()).isEqualTo(UpdateState.CANARY);
    sim.clock.advance(java.time.Duration.ofSeconds(20));
    sim.settle();
    assertThat(running(id, "app:2")).isEqualTo(3);

    image(id, "app:bad");
    sim.settle();
    Task canary =
        sim.active(id).stream()
            .filter(t -> t.getSpec().getContainer().getImage().equals("app:bad"))
            .findFirst()
            .orElseThrow();
    sim.report(canary.getId(), TaskState.FAILED);
    sim.settle();
    assertThat(sim.service(id).getUpdateStatus().getMessage())
        .isEqualTo(
            "update rolled back due to failure or early termination of task " + canary.getId());
    assertThat(running(id, "app:2")).isEqualTo(3);
  }

  @Test
  void aNewSpecSupersedesTheRunningUpdate() {
    String id = service(3, config(1).setDelay(Duration.newBuilder().setSeconds(60)));
    image(id, "app:2");
    sim.settle();
    assertThat(running(id, "app:2")).isEqualTo(1);
    sim.updateSpec(
        id,
        s ->
            s.toBuilder()
                .setTask(
                    s.getTask().toBuilder()
                        .setContainer(s.getTask().getContainer().toBuilder().setImage("app:3")))
                .setUpdate(config(0))
                .build());
    sim.settle();
    assertThat(running(id, "app:3")).isEqualTo(3);
    assertThat(sim.active(id)).hasSize(3);
  }
}
