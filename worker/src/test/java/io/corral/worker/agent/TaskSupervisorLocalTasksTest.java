package io.corral.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The supervisor's read-only view of the assigned tasks, which the log publisher reads. */
class TaskSupervisorLocalTasksTest {

  private static final class IdleRuntime implements TaskRuntime {
    @Override
    public Map<String, TaskStatus> adopt(Listener listener) {
      return Map.of();
    }

    @Override
    public void start(Task task, Listener listener) {}

    @Override
    public void stop(String taskId, Duration gracePeriod) {}

    @Override
    public void remove(String taskId, Duration gracePeriod) {}

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

  private static Task task(String id) {
    return Task.newBuilder()
        .setId(id)
        .setNodeId("n1")
        .setDesiredState(TaskState.RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
        .build();
  }

  @Test
  void assignedFollowsTheAssignmentsAndEveryChangeIsTold() {
    TaskSupervisor s = new TaskSupervisor(new IdleRuntime(), reporter);
    AtomicInteger changes = new AtomicInteger();
    s.onChange(changes::incrementAndGet);

    s.replaceAll(List.of(task("t1"), task("t2")));
    assertThat(s.assigned()).extracting(Task::getId).containsExactlyInAnyOrder("t1", "t2");

    s.change(List.of(task("t3")), List.of("t1"));
    assertThat(s.assigned()).extracting(Task::getId).containsExactlyInAnyOrder("t2", "t3");
    assertThat(changes).hasValue(2);
  }

  @Test
  void theViewIsACopy() {
    TaskSupervisor s = new TaskSupervisor(new IdleRuntime(), reporter);
    s.replaceAll(List.of(task("t1")));
    var before = s.assigned();

    s.replaceAll(List.of());

    assertThat(before).extracting(Task::getId).containsExactly("t1");
    assertThat(s.assigned()).isEmpty();
  }
}
