package io.corral.manager.orchestrator.restart;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.corral.api.RestartPolicy;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.orchestrator.ClusterSim;
import io.corral.manager.orchestrator.replicated.ReplicatedPlannerTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestartSupervisorTest {

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

  private String service(RestartPolicy.Builder policy) {
    ServiceSpec.Builder spec = ReplicatedPlannerTest.replicated(1);
    spec.getTaskBuilder().setRestart(policy);
    String id = sim.createService(spec).getId();
    sim.settle();
    return id;
  }

  private Task onlyActive(String serviceId) {
    List<Task> active = sim.active(serviceId);
    assertThat(active).hasSize(1);
    return active.get(0);
  }

  @Test
  void onFailureWithTwoAttemptsGivesUpAfterTwoRestarts() {
    String id =
        service(
            RestartPolicy.newBuilder()
                .setCondition(RestartPolicy.RestartCondition.ON_FAILURE)
                .setMaxAttempts(2)
                .setDelay(Duration.getDefaultInstance()));

    for (int restart = 1; restart <= 2; restart++) {
      Task failing = onlyActive(id);
      sim.report(failing.getId(), TaskState.FAILED);
      sim.settle();
      Task next = onlyActive(id);
      assertThat(next.getId()).isNotEqualTo(failing.getId());
      assertThat(next.getSlot()).isEqualTo(1);
      assertThat(next.getStatus().getState()).isEqualTo(TaskState.RUNNING);
      assertThat(sim.task(failing.getId()).getDesiredState()).isEqualTo(TaskState.SHUTDOWN);
    }
    Task last = onlyActive(id);
    sim.report(last.getId(), TaskState.FAILED);
    sim.settle();

    assertThat(sim.active(id)).isEmpty();
    assertThat(sim.tasks(id))
        .hasSize(3)
        .allSatisfy(
            t -> {
              assertThat(t.getStatus().getState()).isEqualTo(TaskState.FAILED);
              assertThat(t.getDesiredState()).isEqualTo(TaskState.SHUTDOWN);
            });
    assertThat(sim.task(last.getId()).getNoRestartReason())
        .isEqualTo("restart limit reached: 2 attempts");

    // The decision is in the store: controllers of a new leader keep the slot empty.
    sim.converge();
    assertThat(sim.active(id)).isEmpty();
  }

  @Test
  void onFailureDoesNotRestartACleanExit() {
    String id =
        service(
            RestartPolicy.newBuilder()
                .setCondition(RestartPolicy.RestartCondition.ON_FAILURE)
                .setDelay(Duration.getDefaultInstance()));
    sim.report(onlyActive(id).getId(), TaskState.COMPLETE);
    sim.settle();
    assertThat(sim.active(id)).isEmpty();
  }

  @Test
  void conditionNoneNeverRestarts() {
    String id =
        service(RestartPolicy.newBuilder().setCondition(RestartPolicy.RestartCondition.NONE));
    Task task = onlyActive(id);

    sim.report(task.getId(), TaskState.FAILED);
    sim.settle();

    assertThat(sim.active(id)).isEmpty();
    assertThat(sim.tasks(id)).hasSize(1);
    assertThat(sim.task(task.getId()).getNoRestartReason()).isEqualTo("restart condition is none");
  }

  @Test
  void conditionAnyRestartsAfterTheDelayEvenAcrossALeaderChange() {
    String id = service(RestartPolicy.newBuilder().setDelay(Duration.newBuilder().setSeconds(5)));
    Task first = onlyActive(id);

    sim.report(first.getId(), TaskState.COMPLETE);
    sim.settle();
    Task waiting = onlyActive(id);
    assertThat(waiting.getDesiredState()).isEqualTo(TaskState.READY);
    assertThat(waiting.getSlot()).isEqualTo(1);

    // Another leader's controllers, started later, still wait for the rest of the delay, then start
    // it.
    sim.clock.advance(java.time.Duration.ofSeconds(3));
    Plan early =
        new DelayedStarts().plan(sim.store.view(ClusterSnapshot::read), sim.clock.instant());
    assertThat(early.isEmpty()).isTrue();
    assertThat(early.wakeAt()).hasValue(sim.clock.instant().plusSeconds(2));

    sim.clock.advance(java.time.Duration.ofSeconds(2));
    sim.settle();
    Task started = sim.task(waiting.getId());
    assertThat(started.getDesiredState()).isEqualTo(TaskState.RUNNING);
    assertThat(started.getStatus().getState()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void restartsOutsideTheWindowDoNotCount() {
    String id =
        service(
            RestartPolicy.newBuilder()
                .setMaxAttempts(1)
                .setWindow(Duration.newBuilder().setSeconds(60))
                .setDelay(Duration.getDefaultInstance()));

    sim.report(onlyActive(id).getId(), TaskState.FAILED);
    sim.settle();
    sim.clock.advance(java.time.Duration.ofSeconds(61));
    sim.report(onlyActive(id).getId(), TaskState.FAILED);
    sim.settle();
    Task third = onlyActive(id);
    sim.clock.advance(java.time.Duration.ofSeconds(10));
    sim.report(third.getId(), TaskState.FAILED);
    sim.settle();

    assertThat(sim.active(id)).isEmpty();
    assertThat(sim.tasks(id)).hasSize(3);
  }

  @Test
  void aNewSpecVersionRetriesASlotThatWasGivenUp() {
    String id =
        service(RestartPolicy.newBuilder().setCondition(RestartPolicy.RestartCondition.NONE));
    sim.report(onlyActive(id).getId(), TaskState.FAILED);
    sim.settle();
    assertThat(sim.active(id)).isEmpty();

    sim.updateService(
        id,
        s ->
            s.toBuilder()
                .setSpecVersion(
                    io.corral.api.Version.newBuilder().setIndex(s.getMeta().getVersion() + 1))
                .build());
    sim.settle();

    assertThat(onlyActive(id).getStatus().getState()).isEqualTo(TaskState.RUNNING);
  }
}
