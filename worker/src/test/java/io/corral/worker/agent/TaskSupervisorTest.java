package io.corral.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's reconciliation of assignments against a recording runtime. */
class TaskSupervisorTest {

  /** Records what the supervisor asks for. */
  private static final class RecordingRuntime implements TaskRuntime {
    final List<String> calls = new ArrayList<>();
    final Map<String, TaskStatus> adoptable;

    RecordingRuntime(Map<String, TaskStatus> adoptable) {
      this.adoptable = adoptable;
    }

    @Override
    public Map<String, TaskStatus> adopt(Listener listener) {
      return adoptable;
    }

    @Override
    public void start(Task task, Listener listener) {
      calls.add("start " + task.getId());
    }

    @Override
    public void stop(String taskId, Duration gracePeriod) {
      calls.add("stop " + taskId + " " + gracePeriod.toSeconds());
    }

    @Override
    public void remove(String taskId, Duration gracePeriod) {
      calls.add("remove " + taskId);
    }

    @Override
    public AutoCloseable logs(String taskId, LogSubscriptionOptions options, LogSink sink) {
      sink.end();
      return () -> {};
    }
  }

  private final StatusReporter reporter = new StatusReporter();

  @AfterEach
  void close() {
    reporter.close();
  }

  private static Task task(String id, TaskState state, TaskState desired) {
    return Task.newBuilder()
        .setId(id)
        .setNodeId("n1")
        .setDesiredState(desired)
        .setStatus(TaskStatus.newBuilder().setState(state))
        .build();
  }

  private static TaskStatus status(TaskState s) {
    return TaskStatus.newBuilder().setState(s).build();
  }

  @Test
  void anAssignedTaskIsStartedOnceEvenWhenSentAgain() {
    RecordingRuntime runtime = new RecordingRuntime(Map.of());
    TaskSupervisor s = new TaskSupervisor(runtime, reporter);
    s.replaceAll(List.of(task("t1", TaskState.ASSIGNED, TaskState.RUNNING)));
    s.change(List.of(task("t1", TaskState.ASSIGNED, TaskState.RUNNING)), List.of());
    s.replaceAll(List.of(task("t1", TaskState.RUNNING, TaskState.RUNNING)));
    assertThat(runtime.calls).containsExactly("start t1");
  }

  @Test
  void aTaskWaitingForADelayedRestartIsNotStartedUntilDesiredRunning() {
    RecordingRuntime runtime = new RecordingRuntime(Map.of());
    TaskSupervisor s = new TaskSupervisor(runtime, reporter);
    s.replaceAll(List.of(task("t1", TaskState.ASSIGNED, TaskState.READY)));
    assertThat(runtime.calls).isEmpty();
    s.change(List.of(task("t1", TaskState.ASSIGNED, TaskState.RUNNING)), List.of());
    assertThat(runtime.calls).containsExactly("start t1");
  }

  @Test
  void desiredShutdownStopsARunningTaskOnceWithItsGracePeriod() {
    RecordingRuntime runtime = new RecordingRuntime(Map.of());
    TaskSupervisor s = new TaskSupervisor(runtime, reporter);
    s.replaceAll(List.of(task("t1", TaskState.ASSIGNED, TaskState.RUNNING)));
    s.onStatus("t1", status(TaskState.RUNNING));
    Task stop =
        task("t1", TaskState.RUNNING, TaskState.SHUTDOWN).toBuilder()
            .setSpec(
                io.corral.api.TaskSpec.newBuilder()
                    .setContainer(
                        io.corral.api.ContainerSpec.newBuilder()
                            .setStopGracePeriod(
                                com.google.protobuf.Duration.newBuilder().setSeconds(3))))
            .build();
    s.change(List.of(stop), List.of());
    s.change(List.of(stop), List.of());
    assertThat(runtime.calls).containsExactly("start t1", "stop t1 3");
  }

  @Test
  void aWithdrawnTaskIsRemovedAndATaskNeverStartedJustEnds() {
    RecordingRuntime runtime = new RecordingRuntime(Map.of());
    TaskSupervisor s = new TaskSupervisor(runtime, reporter);
    s.replaceAll(List.of(task("t1", TaskState.ASSIGNED, TaskState.RUNNING)));
    s.change(List.of(), List.of("t1"));
    s.change(List.of(task("t2", TaskState.ASSIGNED, TaskState.SHUTDOWN)), List.of());
    assertThat(runtime.calls).containsExactly("start t1", "remove t1");
  }

  @Test
  void adoptedTasksAreNotStartedAgainAndUnassignedOnesAreRemoved() {
    RecordingRuntime runtime =
        new RecordingRuntime(
            Map.of("t1", status(TaskState.RUNNING), "old", status(TaskState.RUNNING)));
    TaskSupervisor s = new TaskSupervisor(runtime, reporter);
    s.replaceAll(List.of(task("t1", TaskState.RUNNING, TaskState.RUNNING)));
    assertThat(runtime.calls).containsExactly("remove old");
  }

  @Test
  void statusOnlyMovesForward() {
    RecordingRuntime runtime = new RecordingRuntime(Map.of());
    TaskSupervisor s = new TaskSupervisor(runtime, reporter);
    s.replaceAll(List.of(task("t1", TaskState.ASSIGNED, TaskState.RUNNING)));
    s.onStatus("t1", status(TaskState.FAILED));
    s.onStatus("t1", status(TaskState.RUNNING));
    // The task failed: a desired shutdown does not stop it again.
    s.change(List.of(task("t1", TaskState.FAILED, TaskState.SHUTDOWN)), List.of());
    assertThat(runtime.calls).containsExactly("start t1");
  }
}
