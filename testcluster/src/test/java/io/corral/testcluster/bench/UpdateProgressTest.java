package io.corral.testcluster.bench;

import static io.corral.api.TaskState.COMPLETE;
import static io.corral.api.TaskState.FAILED;
import static io.corral.api.TaskState.READY;
import static io.corral.api.TaskState.RUNNING;
import static io.corral.api.TaskState.SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateProgressTest {

  private static UpdateTaskView fresh(io.corral.api.TaskState desired, io.corral.api.TaskState s) {
    return new UpdateTaskView(desired, s, true);
  }

  private static UpdateTaskView old(io.corral.api.TaskState desired, io.corral.api.TaskState s) {
    return new UpdateTaskView(desired, s, false);
  }

  @Test
  void doneWhenEveryNewTaskRunsAndEveryOldOneEnded() {
    List<UpdateTaskView> tasks =
        List.of(
            fresh(RUNNING, RUNNING),
            fresh(RUNNING, RUNNING),
            old(SHUTDOWN, SHUTDOWN),
            old(SHUTDOWN, COMPLETE));
    assertThat(UpdateProgress.of(tasks)).isEqualTo(new UpdateProgress(2, 2, 0));
    assertThat(UpdateProgress.of(tasks).doneAt(2)).isTrue();
  }

  @Test
  void anOldTaskStillRunningOrStillWantedIsNotDone() {
    // Stopping: desired SHUTDOWN, still RUNNING (SIGTERM sent, not exited yet).
    assertThat(
            UpdateProgress.of(
                    List.of(
                        fresh(RUNNING, RUNNING), fresh(RUNNING, RUNNING), old(SHUTDOWN, RUNNING)))
                .doneAt(2))
        .isFalse();
    // Not replaced yet: the old spec still desired running.
    UpdateProgress midway =
        UpdateProgress.of(List.of(fresh(RUNNING, RUNNING), old(RUNNING, RUNNING)));
    assertThat(midway).isEqualTo(new UpdateProgress(1, 1, 1));
    assertThat(midway.doneAt(2)).isFalse();
  }

  @Test
  void aNewTaskNotRunningYetIsNotDone() {
    UpdateProgress starting =
        UpdateProgress.of(List.of(fresh(RUNNING, RUNNING), fresh(RUNNING, READY)));
    assertThat(starting).isEqualTo(new UpdateProgress(2, 1, 0));
    assertThat(starting.doneAt(2)).isFalse();
  }

  @Test
  void beforeTheUpdateIsAcceptedNothingIsOnTheNewSpec() {
    assertThat(UpdateProgress.of(List.of(old(RUNNING, RUNNING), old(RUNNING, RUNNING))).doneAt(2))
        .isFalse();
  }

  @Test
  void aFailedNewTaskThatWasReplacedCountsAsEnded() {
    List<UpdateTaskView> tasks =
        List.of(fresh(SHUTDOWN, FAILED), fresh(RUNNING, RUNNING), old(SHUTDOWN, SHUTDOWN));
    assertThat(UpdateProgress.of(tasks).doneAt(1)).isTrue();
    assertThat(UpdateProgress.of(tasks).doneAt(2)).isFalse();
  }
}
