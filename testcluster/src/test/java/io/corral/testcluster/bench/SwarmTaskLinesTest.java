package io.corral.testcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.TaskState;
import org.junit.jupiter.api.Test;

class SwarmTaskLinesTest {

  @Test
  void readsDesiredAndCurrentStateOfEachTask() {
    String out =
        """
        Running|Running 3 seconds ago
        Running|Preparing less than a second ago
        Shutdown|Running 5 seconds ago
        Remove|Shutdown 1 second ago
        Running|Allocated 2 seconds ago

        """;
    assertThat(SwarmTaskLines.parse(out))
        .containsExactly(
            new TaskObservation(TaskState.RUNNING, TaskState.RUNNING),
            new TaskObservation(TaskState.RUNNING, TaskState.PREPARING),
            new TaskObservation(TaskState.SHUTDOWN, TaskState.RUNNING),
            new TaskObservation(TaskState.REMOVE, TaskState.SHUTDOWN),
            new TaskObservation(TaskState.RUNNING, TaskState.PENDING));
    assertThat(ReplicaCount.of(SwarmTaskLines.parse(out))).isEqualTo(new ReplicaCount(3, 1, 1));
  }

  @Test
  void noTasksIsEmptyOutput() {
    assertThat(SwarmTaskLines.parse("")).isEmpty();
  }

  @Test
  void unexpectedOutputIsAnErrorNamingIt() {
    assertThatThrownBy(() -> SwarmTaskLines.parse("Running Running 3 seconds ago"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Running Running 3 seconds ago");
    assertThatThrownBy(() -> SwarmTaskLines.parse("Running|Sleeping 3 seconds ago"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown swarm task state 'Sleeping");
  }
}
