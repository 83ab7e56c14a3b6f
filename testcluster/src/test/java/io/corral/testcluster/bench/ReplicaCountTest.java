package io.corral.testcluster.bench;

import static io.corral.api.TaskState.ASSIGNED;
import static io.corral.api.TaskState.COMPLETE;
import static io.corral.api.TaskState.FAILED;
import static io.corral.api.TaskState.REMOVE;
import static io.corral.api.TaskState.RUNNING;
import static io.corral.api.TaskState.SHUTDOWN;
import static io.corral.api.TaskState.STARTING;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Task;
import io.corral.api.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaCountTest {

  private static TaskObservation task(
      io.corral.api.TaskState desired, io.corral.api.TaskState state) {
    return new TaskObservation(desired, state);
  }

  @Test
  void countsTasksThatShouldRunThoseThatDoAndThoseStillStopping() {
    ReplicaCount count =
        ReplicaCount.of(
            List.of(
                task(RUNNING, RUNNING),
                task(RUNNING, STARTING),
                task(RUNNING, FAILED), // failed, not yet replaced: should run, does not
                task(SHUTDOWN, RUNNING), // scaled away, still running
                task(REMOVE, ASSIGNED), // scaled away before it started: it must still end
                task(SHUTDOWN, SHUTDOWN),
                task(SHUTDOWN, COMPLETE)));
    assertThat(count).isEqualTo(new ReplicaCount(3, 1, 2));
  }

  @Test
  void convergedMeansExactlyTheReplicasRunningAndNothingLeftStopping() {
    assertThat(new ReplicaCount(3, 3, 0).convergedTo(3)).isTrue();
    assertThat(new ReplicaCount(3, 3, 1).convergedTo(3))
        .as("a scaled-away task still runs")
        .isFalse();
    assertThat(new ReplicaCount(3, 2, 0).convergedTo(3)).as("one not running yet").isFalse();
    assertThat(new ReplicaCount(4, 3, 0).convergedTo(3)).as("one too many should run").isFalse();
    assertThat(new ReplicaCount(4, 4, 0).convergedTo(3)).isFalse();
    assertThat(ReplicaCount.NONE.convergedTo(0)).isTrue();
  }

  @Test
  void aCorralTaskIsObservedByItsDesiredAndReportedState() {
    Task task =
        Task.newBuilder()
            .setDesiredState(SHUTDOWN)
            .setStatus(TaskStatus.newBuilder().setState(RUNNING))
            .build();
    assertThat(TaskObservation.of(task)).isEqualTo(task(SHUTDOWN, RUNNING));
    assertThat(TaskObservation.of(task).isStopping()).isTrue();
  }
}
