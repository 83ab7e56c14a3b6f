package io.corral.manager.controlapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.GlobalJob;
import io.corral.api.GlobalService;
import io.corral.api.JobStatus;
import io.corral.api.ListServiceStatusesResponse.ServiceStatus;
import io.corral.api.Node;
import io.corral.api.NodeStatus;
import io.corral.api.ReplicatedJob;
import io.corral.api.ReplicatedService;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.api.Version;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceStatusesTest {

  private final Map<String, Node> nodes =
      Map.of(
          "up",
              Node.newBuilder()
                  .setId("up")
                  .setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.READY))
                  .build(),
          "down",
              Node.newBuilder()
                  .setId("down")
                  .setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.DOWN))
                  .build());

  private static Task task(String node, TaskState desired, TaskState state, long iteration) {
    return Task.newBuilder()
        .setNodeId(node)
        .setDesiredState(desired)
        .setStatus(TaskStatus.newBuilder().setState(state))
        .setJobIteration(Version.newBuilder().setIndex(iteration))
        .build();
  }

  private static Service service(ServiceSpec.Builder spec, long iteration) {
    return Service.newBuilder()
        .setId("s")
        .setSpec(spec)
        .setJobStatus(
            JobStatus.newBuilder().setJobIteration(Version.newBuilder().setIndex(iteration)))
        .build();
  }

  @Test
  void replicatedCountsReplicasAndRunningTasksOnLiveNodes() {
    Service s =
        service(
            ServiceSpec.newBuilder().setReplicated(ReplicatedService.newBuilder().setReplicas(4)),
            0);
    ServiceStatus status =
        ServiceStatuses.of(
            s,
            List.of(
                task("up", TaskState.RUNNING, TaskState.RUNNING, 0),
                task("up", TaskState.RUNNING, TaskState.STARTING, 0),
                task("down", TaskState.RUNNING, TaskState.RUNNING, 0),
                task("gone", TaskState.RUNNING, TaskState.RUNNING, 0),
                task("up", TaskState.SHUTDOWN, TaskState.RUNNING, 0)),
            nodes);
    assertThat(status.getServiceId()).isEqualTo("s");
    assertThat(status.getDesiredTasks()).isEqualTo(4);
    assertThat(status.getRunningTasks()).isEqualTo(1);
    assertThat(status.getCompletedTasks()).isZero();
  }

  @Test
  void globalDesiresTheTasksThatShouldRun() {
    Service s = service(ServiceSpec.newBuilder().setGlobal(GlobalService.getDefaultInstance()), 0);
    ServiceStatus status =
        ServiceStatuses.of(
            s,
            List.of(
                task("up", TaskState.RUNNING, TaskState.RUNNING, 0),
                task("down", TaskState.RUNNING, TaskState.RUNNING, 0),
                task("up", TaskState.SHUTDOWN, TaskState.FAILED, 0)),
            nodes);
    assertThat(status.getDesiredTasks()).isEqualTo(2);
    assertThat(status.getRunningTasks()).isEqualTo(1);
  }

  @Test
  void replicatedJobsCountTheCurrentIterationOnly() {
    Service s =
        service(
            ServiceSpec.newBuilder()
                .setReplicatedJob(
                    ReplicatedJob.newBuilder().setMaxConcurrent(2).setTotalCompletions(5)),
            3);
    ServiceStatus status =
        ServiceStatuses.of(
            s,
            List.of(
                task("up", TaskState.COMPLETE, TaskState.COMPLETE, 3),
                task("up", TaskState.COMPLETE, TaskState.COMPLETE, 3),
                task("up", TaskState.COMPLETE, TaskState.COMPLETE, 3),
                task("up", TaskState.COMPLETE, TaskState.RUNNING, 3),
                task("up", TaskState.COMPLETE, TaskState.COMPLETE, 2),
                task("up", TaskState.SHUTDOWN, TaskState.RUNNING, 2)),
            nodes);
    assertThat(status.getCompletedTasks()).isEqualTo(3);
    assertThat(status.getRunningTasks()).isEqualTo(1);
    // Concurrency 2, but only 2 completions are still missing.
    assertThat(status.getDesiredTasks()).isEqualTo(2);

    Service almostDone =
        service(
            ServiceSpec.newBuilder()
                .setReplicatedJob(
                    ReplicatedJob.newBuilder().setMaxConcurrent(3).setTotalCompletions(4)),
            0);
    assertThat(
            ServiceStatuses.of(
                    almostDone,
                    List.of(
                        task("up", TaskState.COMPLETE, TaskState.COMPLETE, 0),
                        task("up", TaskState.COMPLETE, TaskState.COMPLETE, 0),
                        task("up", TaskState.COMPLETE, TaskState.COMPLETE, 0)),
                    nodes)
                .getDesiredTasks())
        .isEqualTo(1);
  }

  @Test
  void globalJobsDesireTheirTasksOfTheCurrentIteration() {
    Service s = service(ServiceSpec.newBuilder().setGlobalJob(GlobalJob.getDefaultInstance()), 1);
    ServiceStatus status =
        ServiceStatuses.of(
            s,
            List.of(
                task("up", TaskState.COMPLETE, TaskState.COMPLETE, 1),
                task("down", TaskState.COMPLETE, TaskState.RUNNING, 1),
                task("up", TaskState.COMPLETE, TaskState.COMPLETE, 0)),
            nodes);
    assertThat(status.getDesiredTasks()).isEqualTo(2);
    assertThat(status.getRunningTasks()).isZero();
    assertThat(status.getCompletedTasks()).isEqualTo(1);
  }
}
