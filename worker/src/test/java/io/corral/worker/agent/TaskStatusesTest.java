package io.corral.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.TerminalStates;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskStatusesTest {
  private static final Instant AT = Instant.parse("2024-05-01T10:00:00.123456789Z");

  @Test
  void exitCodeZeroCompletesAndOtherCodesFail() {
    TaskStatus complete = TaskStatuses.exited("c1", 0, false, AT);
    assertThat(complete.getState()).isEqualTo(TaskState.COMPLETE);
    assertThat(complete.getErr()).isEmpty();
    assertThat(complete.getContainer().getContainerId()).isEqualTo("c1");

    TaskStatus failed = TaskStatuses.exited("c1", 2, false, AT);
    assertThat(failed.getState()).isEqualTo(TaskState.FAILED);
    assertThat(failed.getErr()).isEqualTo("task: non-zero exit (2)");
    assertThat(failed.getContainer().getExitCode()).isEqualTo(2);
    assertThat(failed.getTimestamp().getSeconds()).isEqualTo(AT.getEpochSecond());
    assertThat(failed.getTimestamp().getNanos()).isEqualTo(AT.getNano());
  }

  @Test
  void anExitAfterAStopRequestIsShutdownWhateverTheCode() {
    TaskStatus killed = TaskStatuses.exited("c1", 137, true, AT);
    assertThat(killed.getState()).isEqualTo(TaskState.SHUTDOWN);
    assertThat(killed.getErr()).isEmpty();
    assertThat(killed.getContainer().getExitCode()).isEqualTo(137);
  }

  @Test
  void errorsBeforeStartingRejectAndFromStartingOnFail() {
    for (TaskState before :
        new TaskState[] {
          TaskState.ASSIGNED, TaskState.ACCEPTED, TaskState.PREPARING, TaskState.READY
        }) {
      assertThat(TaskStatuses.failure(before, "boom", null, AT).getState())
          .isEqualTo(TaskState.REJECTED);
    }
    TaskStatus failed = TaskStatuses.failure(TaskState.STARTING, "boom", "c1", AT);
    assertThat(failed.getState()).isEqualTo(TaskState.FAILED);
    assertThat(failed.getErr()).isEqualTo("boom");
    assertThat(failed.getContainer().getContainerId()).isEqualTo("c1");
    assertThat(TaskStatuses.failure(TaskState.RUNNING, "lost", "c1", AT).getState())
        .isEqualTo(TaskState.FAILED);
  }

  @Test
  void runningCarriesTheContainerAndItsProcess() {
    TaskStatus running = TaskStatuses.running("c1", 4242, AT);
    assertThat(running.getState()).isEqualTo(TaskState.RUNNING);
    assertThat(running.getContainer().getPid()).isEqualTo(4242);
    assertThat(TerminalStates.isTerminal(running.getState())).isFalse();
    assertThat(TerminalStates.isTerminal(TaskStatuses.shutdownBeforeStart(AT).getState())).isTrue();
  }
}
