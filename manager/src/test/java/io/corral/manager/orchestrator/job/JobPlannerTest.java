package io.corral.manager.orchestrator.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.ContainerSpec;
import io.corral.api.GlobalJob;
import io.corral.api.ReplicatedJob;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.manager.orchestrator.ClusterSim;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobPlannerTest {

  private final ClusterSim sim = new ClusterSim();

  @AfterEach
  void close() {
    sim.close();
  }

  private static TaskSpec.Builder template() {
    return TaskSpec.newBuilder()
        .setContainer(ContainerSpec.newBuilder().setImage("batch:1"))
        .setRestart(
            io.corral.api.RestartPolicy.newBuilder()
                .setDelay(com.google.protobuf.Duration.getDefaultInstance()));
  }

  private List<Task> running(String id) {
    return sim.active(id).stream()
        .filter(t -> t.getStatus().getState() != TaskState.COMPLETE)
        .toList();
  }

  @Test
  void replicatedJobRunsTotalCompletionsAtMostMaxConcurrentAtOnce() {
    sim.addNode("a");
    sim.addNode("b");
    String id =
        sim.createService(
                ServiceSpec.newBuilder()
                    .setTask(template())
                    .setReplicatedJob(
                        ReplicatedJob.newBuilder().setTotalCompletions(7).setMaxConcurrent(3)))
            .getId();
    Set<Long> completedSlots = new HashSet<>();
    int failuresLeft = 2;
    for (int round = 0; round < 20 && completedSlots.size() < 7; round++) {
      sim.settle();
      List<Task> running = running(id);
      assertThat(running)
          .allSatisfy(
              t -> {
                assertThat(t.getDesiredState()).isEqualTo(TaskState.COMPLETE);
                assertThat(t.getStatus().getState()).isEqualTo(TaskState.RUNNING);
              });
      assertThat(running).hasSize(Math.min(3, 7 - completedSlots.size()));
      // In the first rounds one task fails (it is restarted in its slot); the others complete.
      for (int i = 0; i < running.size(); i++) {
        Task t = running.get(i);
        if (i == 0 && failuresLeft > 0) {
          sim.report(t.getId(), TaskState.FAILED);
          failuresLeft--;
        } else {
          sim.report(t.getId(), TaskState.COMPLETE);
          completedSlots.add(t.getSlot());
        }
      }
    }
    sim.settle();

    assertThat(completedSlots).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(running(id)).isEmpty();
    assertThat(sim.tasks(id))
        .filteredOn(t -> t.getStatus().getState() == TaskState.COMPLETE)
        .hasSize(7);
    assertThat(sim.tasks(id))
        .filteredOn(t -> t.getStatus().getState() == TaskState.FAILED)
        .hasSize(2);
  }

  @Test
  void globalJobRunsOncePerNodeIncludingNewNodes() {
    sim.addNode("a");
    sim.addNode("b");
    String id =
        sim.createService(
                ServiceSpec.newBuilder()
                    .setTask(template())
                    .setGlobalJob(GlobalJob.getDefaultInstance()))
            .getId();
    sim.settle();
    assertThat(running(id)).extracting(Task::getNodeId).containsExactlyInAnyOrder("a", "b");

    running(id).forEach(t -> sim.report(t.getId(), TaskState.COMPLETE));
    sim.settle();
    assertThat(running(id)).isEmpty();

    sim.addNode("c");
    sim.settle();
    assertThat(running(id)).extracting(Task::getNodeId).containsExactly("c");
    sim.report(running(id).get(0).getId(), TaskState.COMPLETE);
    sim.settle();

    assertThat(sim.tasks(id))
        .hasSize(3)
        .allSatisfy(t -> assertThat(t.getStatus().getState()).isEqualTo(TaskState.COMPLETE));
  }

  @Test
  void aNewJobIterationStopsTheOldRunAndStartsAgain() {
    sim.addNode("a");
    String id =
        sim.createService(
                ServiceSpec.newBuilder()
                    .setTask(template())
                    .setReplicatedJob(ReplicatedJob.newBuilder().setTotalCompletions(2)))
            .getId();
    sim.settle();
    List<Task> first = running(id);
    assertThat(first).hasSize(2);

    sim.updateService(
        id,
        s ->
            s.toBuilder()
                .setJobStatus(
                    io.corral.api.JobStatus.newBuilder()
                        .setJobIteration(io.corral.api.Version.newBuilder().setIndex(9)))
                .build());
    sim.settle();

    assertThat(first)
        .allSatisfy(
            t -> assertThat(sim.task(t.getId()).getDesiredState()).isEqualTo(TaskState.SHUTDOWN));
    assertThat(running(id))
        .hasSize(2)
        .allSatisfy(t -> assertThat(t.getJobIteration().getIndex()).isEqualTo(9));
  }
}
