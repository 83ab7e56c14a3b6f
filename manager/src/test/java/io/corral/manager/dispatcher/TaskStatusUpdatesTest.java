package io.corral.manager.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.AssignmentChange;
import io.corral.api.Meta;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.StoreEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forward-only status reports and the assignment diff a node is sent. */
class TaskStatusUpdatesTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private static Task task(String id, String node, TaskState state, long version) {
    return Task.newBuilder()
        .setId(id)
        .setNodeId(node)
        .setMeta(Meta.newBuilder().setVersion(version))
        .setStatus(TaskStatus.newBuilder().setState(state))
        .setDesiredState(TaskState.RUNNING)
        .build();
  }

  private static TaskStatus status(TaskState state, String message) {
    return TaskStatus.newBuilder().setState(state).setMessage(message).build();
  }

  @Test
  void aReportMovesATaskForwardAndRecordsWhoAppliedIt() {
    Task t = task("t1", "n1", TaskState.ASSIGNED, 5);
    Task next =
        TaskStatusUpdates.apply(t, "n1", status(TaskState.RUNNING, "started"), "m1", NOW)
            .orElseThrow();
    assertThat(next.getStatus().getState()).isEqualTo(TaskState.RUNNING);
    assertThat(next.getStatus().getMessage()).isEqualTo("started");
    assertThat(next.getStatus().getAppliedBy()).isEqualTo("m1");
    assertThat(next.getStatus().getAppliedAt().getSeconds()).isEqualTo(NOW.getEpochSecond());
  }

  @Test
  void lateReportsRepeatsAndOtherNodesReportsAreIgnored() {
    Task running = task("t1", "n1", TaskState.RUNNING, 5);
    assertThat(
            TaskStatusUpdates.apply(running, "n1", status(TaskState.STARTING, "late"), "m1", NOW))
        .isEmpty();
    assertThat(
            TaskStatusUpdates.apply(
                running.toBuilder().setStatus(status(TaskState.RUNNING, "x")).build(),
                "n1",
                status(TaskState.RUNNING, "x"),
                "m1",
                NOW))
        .isEmpty();
    assertThat(
            TaskStatusUpdates.apply(
                running, "n2", status(TaskState.FAILED, "not yours"), "m1", NOW))
        .isEmpty();
    assertThat(
            TaskStatusUpdates.apply(
                task("t2", "n1", TaskState.PENDING, 1),
                "n1",
                status(TaskState.PENDING, "agents never report pending"),
                "m1",
                NOW))
        .isEmpty();
  }

  @Test
  void aSameStateReportWithNewHealthIsApplied() {
    Task running =
        task("t1", "n1", TaskState.RUNNING, 5).toBuilder()
            .setStatus(status(TaskState.RUNNING, "started"))
            .build();
    TaskStatus healthy =
        status(TaskState.RUNNING, "started").toBuilder()
            .setHealth(TaskStatus.Health.HEALTHY)
            .build();
    Task next = TaskStatusUpdates.apply(running, "n1", healthy, "m1", NOW).orElseThrow();
    assertThat(next.getStatus().getHealth()).isEqualTo(TaskStatus.Health.HEALTHY);
    assertThat(TaskStatusUpdates.apply(next, "n1", healthy, "m1", NOW)).isEmpty();
  }

  @Test
  void aNodeIsSentItsAssignedTasksOnceAndTheirRemoval() {
    Map<String, Long> sent = new HashMap<>();
    Task pending = task("t1", "n1", TaskState.PENDING, 1);
    Task assigned = task("t1", "n1", TaskState.ASSIGNED, 2);
    Task elsewhere = task("t2", "n2", TaskState.ASSIGNED, 3);

    assertThat(
            Assignments.change(
                new StoreEvent(StoreEvent.Type.UPDATE, ObjectKind.TASK, pending, null, 1),
                "n1",
                sent))
        .isEmpty();
    AssignmentChange add =
        Assignments.change(
                new StoreEvent(StoreEvent.Type.UPDATE, ObjectKind.TASK, assigned, pending, 2),
                "n1",
                sent)
            .orElseThrow();
    assertThat(add.getAction()).isEqualTo(AssignmentChange.AssignmentAction.UPDATE);
    assertThat(add.getAssignment().getTask().getId()).isEqualTo("t1");
    // The same version again (e.g. replayed) is not sent twice.
    assertThat(
            Assignments.change(
                new StoreEvent(StoreEvent.Type.UPDATE, ObjectKind.TASK, assigned, pending, 2),
                "n1",
                sent))
        .isEmpty();
    assertThat(
            Assignments.change(
                new StoreEvent(StoreEvent.Type.CREATE, ObjectKind.TASK, elsewhere, null, 3),
                "n1",
                sent))
        .isEmpty();
    AssignmentChange removal =
        Assignments.change(
                new StoreEvent(StoreEvent.Type.DELETE, ObjectKind.TASK, assigned, assigned, 4),
                "n1",
                sent)
            .orElseThrow();
    assertThat(removal.getAction()).isEqualTo(AssignmentChange.AssignmentAction.REMOVE);
    assertThat(sent).isEmpty();
  }
}
