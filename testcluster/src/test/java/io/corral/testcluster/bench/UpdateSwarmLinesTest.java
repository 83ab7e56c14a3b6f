package io.corral.testcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.TaskState;
import org.junit.jupiter.api.Test;

class UpdateSwarmLinesTest {

  @Test
  void aTaskIsOnTheNewSpecWhenItRunsTheNewImage() {
    String out =
        """
        Running|Running 1 second ago|corral-test/busybox:2
        Running|Starting less than a second ago|corral-test/busybox:2
        Shutdown|Running 10 seconds ago|corral-test/busybox:1
        Shutdown|Shutdown 2 seconds ago|corral-test/busybox:1
        Running|Running 12 seconds ago|corral-test/busybox:1

        """;
    assertThat(UpdateSwarmLines.parse(out, "corral-test/busybox:2"))
        .containsExactly(
            new UpdateTaskView(TaskState.RUNNING, TaskState.RUNNING, true),
            new UpdateTaskView(TaskState.RUNNING, TaskState.STARTING, true),
            new UpdateTaskView(TaskState.SHUTDOWN, TaskState.RUNNING, false),
            new UpdateTaskView(TaskState.SHUTDOWN, TaskState.SHUTDOWN, false),
            new UpdateTaskView(TaskState.RUNNING, TaskState.RUNNING, false));
    assertThat(UpdateProgress.of(UpdateSwarmLines.parse(out, "corral-test/busybox:2")))
        .isEqualTo(new UpdateProgress(2, 1, 2));
  }

  @Test
  void anImageWithItsDigestIsTheSameImage() {
    assertThat(UpdateSwarmLines.sameImage("busybox:2@sha256:abc", "busybox:2")).isTrue();
    assertThat(UpdateSwarmLines.sameImage("busybox:20", "busybox:2")).isFalse();
  }

  @Test
  void unexpectedOutputIsAnErrorNamingIt() {
    assertThatThrownBy(() -> UpdateSwarmLines.parse("Running|Running 3 seconds ago", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Running|Running 3 seconds ago");
  }
}
