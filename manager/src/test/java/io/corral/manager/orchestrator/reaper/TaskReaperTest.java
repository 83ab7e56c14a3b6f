package io.corral.manager.orchestrator.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.RestartPolicy;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.manager.orchestrator.ClusterSim;
import io.corral.manager.orchestrator.replicated.ReplicatedPlannerTest;
import io.corral.manager.task.TaskStates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskReaperTest {

  private final ClusterSim sim = new ClusterSim();

  @AfterEach
  void close() {
    sim.close();
  }

  /**
   * Fails the slot's running task {@code times} times, one second apart; returns the failed task
   * ids.
   */
  private List<String> failRepeatedly(String serviceId, int times) {
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      Task t = sim.active(serviceId).get(0);
      sim.clock.advance(Duration.ofSeconds(1));
      sim.report(t.getId(), TaskState.FAILED);
      failed.add(t.getId());
      sim.settle();
    }
    return failed;
  }

  private String oneReplica(RestartPolicy.RestartCondition condition) {
    sim.addNode("a");
    ServiceSpec.Builder spec = ReplicatedPlannerTest.replicated(1);
    spec.getTaskBuilder().getRestartBuilder().setCondition(condition);
    String id = sim.createService(spec).getId();
    sim.settle();
    return id;
  }

  @Test
  void keepsTheFiveNewestFinishedTasksPerSlotByDefault() {
    String id = oneReplica(RestartPolicy.RestartCondition.ANY);
    List<String> failed = failRepeatedly(id, 8);

    List<String> left =
        sim.tasks(id).stream().filter(t -> !TaskStates.wantsToRun(t)).map(Task::getId).toList();
    assertThat(left).containsExactlyInAnyOrderElementsOf(failed.subList(3, 8));
    assertThat(sim.active(id)).hasSize(1);
  }

  @Test
  void followsTheClusterLimitAndKeepsAllWhenNegative() {
    sim.cluster(2);
    String id = oneReplica(RestartPolicy.RestartCondition.ANY);
    failRepeatedly(id, 4);
    assertThat(sim.tasks(id)).hasSize(3);

    sim.store.update(
        tx -> {
          var c = tx.list(io.corral.manager.store.ObjectKind.CLUSTER).get(0);
          tx.update(
              c.toBuilder()
                  .setSpec(
                      c.getSpec().toBuilder()
                          .setOrchestration(
                              c.getSpec().getOrchestration().toBuilder()
                                  .setTaskHistoryRetentionLimit(-1)))
                  .build());
        });
    failRepeatedly(id, 4);
    assertThat(sim.tasks(id)).hasSize(7);
  }

  @Test
  void keepsTheRecordOfAGivenUpSlotEvenWithNoHistory() {
    sim.cluster(0);
    String id = oneReplica(RestartPolicy.RestartCondition.NONE);
    List<String> failed = failRepeatedly(id, 1);

    assertThat(sim.tasks(id)).extracting(Task::getId).containsExactlyElementsOf(failed);
    assertThat(sim.active(id)).isEmpty();
  }
}
