package io.corral.cli.service.progress;

import static io.corral.cli.FakeDaemon.service;
import static io.corral.cli.FakeDaemon.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.GlobalService;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.cli.FakeDaemon;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ProgressUpdaterTest {

  static final String SVC = "web00000000000000000000001";
  static final String NODE_A = "nodeaaaaaaaaaaaaaaaaaaaaa";
  static final String NODE_B = "nodebbbbbbbbbbbbbbbbbbbbb";

  static Task t(String id, long slot, String node, TaskState state, TaskState desired) {
    return task(id, SVC, slot, node, state, desired, FakeDaemon.JOINED);
  }

  private static List<ProgressLine> run(
      ProgressUpdater u, Service s, List<Task> tasks, Set<String> active, boolean[] converged) {
    List<ProgressLine> lines = new ArrayList<>();
    converged[0] = u.update(s, tasks, active, lines::add);
    return lines;
  }

  @Test
  void aSlotShowsItsReplacementNotItsFailedTask() {
    Task failed =
        t("old", 1, NODE_A, TaskState.FAILED, TaskState.SHUTDOWN).toBuilder()
            .setStatus(TaskStatus.newBuilder().setState(TaskState.FAILED).setErr("exit 1"))
            .build();
    Task replacement = t("new", 1, NODE_B, TaskState.STARTING, TaskState.RUNNING);

    assertThat(ReplicatedProgress.tasksBySlot(List.of(failed, replacement), Set.of(NODE_A, NODE_B)))
        .containsOnlyKeys(1L)
        .containsValue(replacement);
  }

  @Test
  void tasksOnDownNodesDoNotCount() {
    Service s = service(SVC, "web", "app:1", 2);
    boolean[] converged = new boolean[1];
    List<ProgressLine> lines =
        run(
            new ReplicatedProgress(),
            s,
            List.of(
                t("a", 1, NODE_A, TaskState.RUNNING, TaskState.RUNNING),
                t("b", 2, NODE_B, TaskState.RUNNING, TaskState.RUNNING)),
            Set.of(NODE_A),
            converged);

    assertThat(converged[0]).isFalse();
    assertThat(lines).contains(ProgressLine.text("overall progress", "1 out of 2 tasks"));
  }

  @Test
  void manyReplicasShowOnlyTheOverallLine() {
    Service s = service(SVC, "web", "app:1", 30);
    List<Task> tasks =
        LongStream.rangeClosed(1, 30)
            .mapToObj(i -> t("t" + i, i, NODE_A, TaskState.RUNNING, TaskState.RUNNING))
            .toList();
    boolean[] converged = new boolean[1];

    List<ProgressLine> lines = run(new ReplicatedProgress(), s, tasks, Set.of(NODE_A), converged);

    assertThat(converged[0]).isTrue();
    assertThat(lines)
        .containsExactly(
            ProgressLine.text("overall progress", "0 out of 30 tasks"),
            ProgressLine.text("overall progress", "30 out of 30 tasks"));
  }

  @Test
  void errorsReplaceTheBarCutToOneLineOfSixty() {
    assertThat(ProgressUpdater.truncError("short")).isEqualTo("short");
    assertThat(ProgressUpdater.truncError("first\nsecond")).isEqualTo("first…");
    assertThat(ProgressUpdater.truncError("x".repeat(70))).isEqualTo("x".repeat(59) + "…");
  }

  @Test
  void globalCountsTheNodesThatHaveTasks() {
    Service s = service(SVC, "agent", "agent:1", 0);
    s =
        s.toBuilder()
            .setSpec(s.getSpec().toBuilder().setGlobal(GlobalService.getDefaultInstance()))
            .build();
    GlobalProgress u = new GlobalProgress();
    boolean[] converged = new boolean[1];

    assertThat(run(u, s, List.of(), Set.of(NODE_A, NODE_B), converged))
        .containsExactly(ProgressLine.text("overall progress", "waiting for new tasks"));
    List<ProgressLine> lines =
        run(
            u,
            s,
            List.of(
                t("a", 0, NODE_A, TaskState.RUNNING, TaskState.RUNNING),
                t("b", 0, NODE_B, TaskState.ASSIGNED, TaskState.RUNNING)),
            Set.of(NODE_A, NODE_B),
            converged);

    assertThat(converged[0]).isFalse();
    assertThat(lines)
        .containsExactly(
            ProgressLine.text("overall progress", "0 out of 2 tasks"),
            new ProgressLine("nodeaaaaaaaa", "running  ", 9, 9),
            new ProgressLine("nodebbbbbbbb", "assigned ", 4, 9),
            ProgressLine.text("overall progress", "1 out of 2 tasks"));
  }

  @Test
  void stuckReasonsAreGroupedByStateAndError() {
    Service s = service(SVC, "web", "app:1", 3);
    Task p1 =
        t("p1", 1, "", TaskState.PENDING, TaskState.RUNNING).toBuilder()
            .setStatus(
                TaskStatus.newBuilder()
                    .setState(TaskState.PENDING)
                    .setErr("no suitable node (1 node not available for new tasks)"))
            .build();
    Task p3 = p1.toBuilder().setId("p3").setSlot(3).build();
    Task r2 = t("r2", 2, NODE_A, TaskState.RUNNING, TaskState.RUNNING);

    assertThat(ConvergeWatcher.stuck(s, List.of(p3, r2, p1), java.time.Duration.ofMinutes(2)))
        .isEqualTo(
            "service web did not converge: no progress for 2m0s\n"
                + "web.1, web.3: pending: no suitable node (1 node not available for new tasks)\n"
                + "The service keeps converging in the background; see `corral service ps web`.");
  }
}
