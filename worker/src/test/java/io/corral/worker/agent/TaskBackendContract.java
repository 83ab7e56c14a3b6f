package io.corral.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.ContainerSpec;
import io.corral.api.HealthConfig;
import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.ProtoTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The executor contract: the same lifecycle assertions for every backend, driven through {@link
 * TaskLifecycle}. A subclass supplies the backend (one node's, so that a second backend is that
 * node after a daemon restart) and tasks running a shell script in it.
 */
public abstract class TaskBackendContract {
  /**
   * Runs until stopped and exits 0 on the stop signal, saying so (sh runs the trap once the current
   * sleep returns).
   */
  protected static final String GRACEFUL =
      "trap 'echo bye; exit 0' TERM; echo up; while true; do sleep 0.1; done";

  /** Ignores the stop signal: only the kill after the grace period ends it. */
  protected static final String STUBBORN = "trap '' TERM; echo up; while true; do sleep 0.1; done";

  private final List<TaskLifecycle<?>> lifecycles = new ArrayList<>();

  /**
   * A new backend of the node under test (the same node each time: a second one is the node
   * restarted).
   */
  protected abstract TaskBackend<?> newBackend();

  /** A task of this node running {@code sh -c script}. */
  protected abstract Task shell(String script);

  /** A task of this node running {@code image}'s default command. */
  protected abstract Task image(String image);

  /** Whether the backend still has something of the task (a container, a state directory). */
  protected abstract boolean hasLeftovers(String taskId);

  protected abstract Duration timeout();

  /** Closes the lifecycles the test made; a subclass calls it before tearing down what they use. */
  @AfterEach
  protected void closeLifecycles() {
    lifecycles.forEach(TaskLifecycle::close);
    lifecycles.clear();
  }

  /** A lifecycle over a new backend of the node, with the preparation steps given. */
  protected TaskLifecycle<?> lifecycle(TaskPreparer... preparers) {
    TaskLifecycle<?> l = over(newBackend(), List.of(preparers));
    lifecycles.add(l);
    return l;
  }

  private static <H extends TaskBackend.Handle> TaskLifecycle<H> over(
      TaskBackend<H> b, List<TaskPreparer> steps) {
    return new TaskLifecycle<>(b, steps);
  }

  protected TaskEvents events() {
    return new TaskEvents(timeout());
  }

  /** Starts the task and waits until it runs and has written "up" (its stop trap is then set). */
  protected TaskStatus startedAndUp(TaskLifecycle<?> l, Task t, TaskEvents events) {
    l.start(t, events);
    TaskStatus running = events.awaitState(t.getId(), TaskState.RUNNING);
    await()
        .atMost(timeout())
        .until(
            () ->
                read(l, t.getId(), LogSubscriptionOptions.getDefaultInstance())
                    .text
                    .contains("up\n"));
    return running;
  }

  /** Reads a task's logs without following and waits for the end. */
  protected LogLines read(TaskRuntime runtime, String taskId, LogSubscriptionOptions options) {
    return LogLines.read(runtime, taskId, options, timeout());
  }

  @Test
  void aTaskWalksEveryStateWithSwarmkitsMessagesAndCompletesWithExitZero() {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task t = shell("echo hello; echo oops >&2");
    l.start(t, events);

    TaskStatus done = events.awaitTerminal(t.getId());
    assertThat(events.states(t.getId()))
        .containsExactly(
            TaskState.ACCEPTED,
            TaskState.PREPARING,
            TaskState.READY,
            TaskState.STARTING,
            TaskState.RUNNING,
            TaskState.COMPLETE);
    assertThat(events.messages(t.getId()))
        .containsExactly("accepted", "preparing", "prepared", "starting", "started", "finished");
    assertThat(events.statuses.get(t.getId())).allMatch(s -> s.getTimestamp().getSeconds() > 0);
    assertThat(events.statuses.get(t.getId()))
        .as("a task without a health check")
        .allMatch(s -> s.getHealth() == TaskStatus.Health.NONE);
    assertThat(events.awaitState(t.getId(), TaskState.RUNNING).getContainer().getContainerId())
        .isNotEmpty();
    assertThat(done.getContainer().getExitCode()).isZero();
    assertThat(done.getErr()).isEmpty();
    LogLines logs = read(l, t.getId(), LogSubscriptionOptions.getDefaultInstance());
    assertThat(logs.text).containsExactlyInAnyOrder("hello\n", "oops\n");
    assertThat(logs.streams.get(logs.text.indexOf("oops\n")))
        .isEqualTo(LogStream.LOG_STREAM_STDERR);
  }

  @Test
  void aNonZeroExitFailsWithSwarmkitsErrorAndTheExitCode() {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task t = shell("echo crashing; exit 3");
    l.start(t, events);

    TaskStatus failed = events.awaitTerminal(t.getId());
    assertThat(failed.getState()).isEqualTo(TaskState.FAILED);
    assertThat(failed.getMessage()).isEqualTo("started");
    assertThat(failed.getErr()).isEqualTo("task: non-zero exit (3)");
    assertThat(failed.getContainer().getExitCode()).isEqualTo(3);
    assertThat(events.states(t.getId()))
        .contains(TaskState.RUNNING)
        .doesNotContain(TaskState.COMPLETE);
  }

  @Test
  void aMissingImageIsRejectedWhilePreparingWithDockersWording() {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task t = image("corral-missing:3");
    l.start(t, events);

    TaskStatus rejected = events.awaitTerminal(t.getId());
    assertThat(rejected.getState()).isEqualTo(TaskState.REJECTED);
    assertThat(rejected.getMessage()).isEqualTo("preparing");
    assertThat(rejected.getErr()).isEqualTo("No such image: corral-missing:3");
    assertThat(events.states(t.getId()))
        .containsExactly(TaskState.ACCEPTED, TaskState.PREPARING, TaskState.REJECTED);
    Task untagged = image("corral-missing");
    l.start(untagged, events);
    assertThat(events.awaitTerminal(untagged.getId()).getErr())
        .isEqualTo("No such image: corral-missing:latest");
  }

  @Test
  void stopSendsTheStopSignalWhichTheTaskHonours() {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task t = shell(GRACEFUL);
    assertThat(startedAndUp(l, t, events).getContainer().getPid()).isPositive();

    l.stop(t.getId(), Duration.ofMinutes(2));
    TaskStatus shutdown = events.awaitTerminal(t.getId());
    assertThat(shutdown.getState()).isEqualTo(TaskState.SHUTDOWN);
    assertThat(shutdown.getMessage()).isEqualTo("shutdown");
    // 0 is the trap's exit: the stop signal ended it, not the kill due only after the long grace
    // period.
    assertThat(shutdown.getContainer().getExitCode()).isZero();
    assertThat(read(l, t.getId(), LogSubscriptionOptions.getDefaultInstance()).text)
        .contains("bye\n");
  }

  @Test
  void stopKillsATaskThatIgnoresTheStopSignalAfterTheGracePeriod() {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task t = shell(STUBBORN);
    startedAndUp(l, t, events);

    l.stop(t.getId(), Duration.ofSeconds(1));
    TaskStatus shutdown = events.awaitTerminal(t.getId());
    assertThat(shutdown.getState()).isEqualTo(TaskState.SHUTDOWN);
    assertThat(shutdown.getContainer().getExitCode()).isEqualTo(137);
  }

  @Test
  void aStopRightAfterTheStartEndsTheTaskShutDown() {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task t = shell(STUBBORN);
    l.start(t, events);
    l.stop(t.getId(), Duration.ZERO);

    assertThat(events.awaitTerminal(t.getId()).getState()).isEqualTo(TaskState.SHUTDOWN);
    assertThat(events.last(t.getId()).getState()).isEqualTo(TaskState.SHUTDOWN);
  }

  @Test
  void removeStopsTheTaskReportsItShutDownAndLeavesNothingToAdopt() {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task t = shell(GRACEFUL);
    startedAndUp(l, t, events);

    l.remove(t.getId(), Duration.ofSeconds(30));
    assertThat(events.awaitTerminal(t.getId()).getState()).isEqualTo(TaskState.SHUTDOWN);
    await().atMost(timeout()).until(() -> !hasLeftovers(t.getId()));
    assertThat(lifecycle().adopt(events())).doesNotContainKey(t.getId());
    assertThat(read(l, t.getId(), LogSubscriptionOptions.getDefaultInstance()).text).isEmpty();
  }

  @Test
  void aRestartedNodeAdoptsARunningTaskInsteadOfStartingItAgainAndStopsIt() {
    TaskLifecycle<?> first = lifecycle();
    Task t = shell(GRACEFUL);
    TaskStatus running = startedAndUp(first, t, events());
    first.close(); // as if the daemon were killed: the task keeps running

    TaskLifecycle<?> next = lifecycle();
    TaskEvents events = events();
    Map<String, TaskStatus> adopted = next.adopt(events);
    assertThat(adopted).containsKey(t.getId());
    assertThat(adopted.get(t.getId()).getState()).isEqualTo(TaskState.RUNNING);
    assertThat(adopted.get(t.getId()).getContainer().getContainerId())
        .isEqualTo(running.getContainer().getContainerId());
    next.start(t, events); // a repeated start must not run it twice
    assertThat(read(next, t.getId(), LogSubscriptionOptions.getDefaultInstance()).text)
        .containsExactly("up\n");

    next.stop(t.getId(), Duration.ofMinutes(2));
    assertThat(events.awaitTerminal(t.getId()).getContainer().getExitCode()).isZero();
    assertThat(events.states(t.getId())).containsExactly(TaskState.SHUTDOWN);
  }

  @Test
  void logsOfAnUnknownTaskEndAtOnce() {
    LogLines lines = new LogLines();
    lifecycle().logs("nope", LogSubscriptionOptions.newBuilder().setFollow(true).build(), lines);
    assertThat(lines.ends).hasValue(1);
    assertThat(lines.text).isEmpty();
  }

  @Test
  void aLastLineWithoutNewlineComesWithoutOne() {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task t = shell("printf 'first\\nlast'");
    l.start(t, events);
    events.awaitTerminal(t.getId());

    assertThat(read(l, t.getId(), LogSubscriptionOptions.getDefaultInstance()).text)
        .containsExactly("first\n", "last");
  }

  @Test
  void closingAFollowEndsItWhileTheTaskRuns() throws Exception {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task t = shell(GRACEFUL);
    startedAndUp(l, t, events);

    LogLines follow = new LogLines();
    AutoCloseable handle =
        l.logs(t.getId(), LogSubscriptionOptions.newBuilder().setFollow(true).build(), follow);
    await().atMost(timeout()).until(() -> follow.text.equals(List.of("up\n")));
    handle.close();
    await().atMost(timeout()).until(() -> follow.ends.get() == 1);
    assertThat(events.last(t.getId()).getState()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void theSharedPreparationStepsRunInOrderBeforeTheBackendAndAFailingOneRejectsTheTask() {
    List<String> steps = new CopyOnWriteArrayList<>();
    TaskPreparer network =
        new TaskPreparer() {
          @Override
          public void prepare(Task task) {
            steps.add("network " + task.getId());
          }

          @Override
          public void release(String taskId) {
            steps.add("release network " + taskId);
          }
        };
    TaskPreparer secrets =
        task -> {
          steps.add("secrets " + task.getId());
          if (task.getSpec().getContainer().getArgsList().contains("exit 9")) {
            throw new TaskBackend.TaskException("secret s1 not found");
          }
        };
    TaskLifecycle<?> l = lifecycle(network, secrets);
    TaskEvents events = events();
    Task ok = shell("true");
    l.start(ok, events);
    assertThat(events.awaitTerminal(ok.getId()).getState()).isEqualTo(TaskState.COMPLETE);
    assertThat(steps).containsExactly("network " + ok.getId(), "secrets " + ok.getId());

    Task refused = shell("exit 9");
    l.start(refused, events);
    TaskStatus rejected = events.awaitTerminal(refused.getId());
    assertThat(rejected.getState()).isEqualTo(TaskState.REJECTED);
    assertThat(rejected.getErr()).isEqualTo("secret s1 not found");
    assertThat(events.states(refused.getId()))
        .containsExactly(TaskState.ACCEPTED, TaskState.PREPARING, TaskState.REJECTED);

    l.remove(ok.getId(), Duration.ofSeconds(10));
    await().atMost(timeout()).until(() -> steps.contains("release network " + ok.getId()));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Health checks
  // ---------------------------------------------------------------------------------------------------------

  /** {@code t} with the environment variable and the CMD-SHELL health check given. */
  protected static Task withCheck(
      Task t, String env, String check, Duration interval, Duration timeout, int retries) {
    ContainerSpec.Builder c = t.getSpec().getContainer().toBuilder().addEnv(env);
    c.setHealthcheck(
        HealthConfig.newBuilder()
            .addTest("CMD-SHELL")
            .addTest(check)
            .setInterval(ProtoTime.protoDuration(interval))
            .setTimeout(ProtoTime.protoDuration(timeout))
            .setRetries(retries));
    return t.toBuilder().setSpec(t.getSpec().toBuilder().setContainer(c)).build();
  }

  /**
   * A file only this task's script and check see (the task's /tmp, or the host's for processes).
   */
  private static String marker(Task t) {
    return "/tmp/corral-health-" + t.getId();
  }

  @Test
  void aCheckedTaskIsStartingUntilItsFirstPassingCheckThenRunningAndHealthy() {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task plain = shell("x");
    String ready = marker(plain);
    Task t =
        withCheck(
            shell("sleep 1; touch " + ready + "; " + GRACEFUL),
            "CHECKED=yes",
            // The check runs in the task's environment: it sees the task's variable.
            "test \"$CHECKED\" = yes && test -f " + ready,
            Duration.ofMillis(200),
            Duration.ofSeconds(5),
            100);
    t = t.toBuilder().setId(plain.getId()).build();
    try {
      l.start(t, events);
      TaskStatus healthy = events.awaitState(t.getId(), TaskState.RUNNING);
      assertThat(healthy.getHealth()).isEqualTo(TaskStatus.Health.HEALTHY);
      assertThat(healthy.getMessage()).isEqualTo("started");
      assertThat(healthy.getContainer().getContainerId()).isNotEmpty();
      List<TaskStatus> all = events.statuses.get(t.getId());
      TaskStatus waiting =
          all.stream()
              .filter(s -> s.getHealth() == TaskStatus.Health.STARTING)
              .findFirst()
              .orElseThrow();
      assertThat(waiting.getState()).isEqualTo(TaskState.STARTING);
      assertThat(waiting.getContainer().getContainerId()).isNotEmpty();
      assertThat(all.indexOf(waiting)).isLessThan(all.indexOf(healthy));

      l.stop(t.getId(), Duration.ofSeconds(10));
      TaskStatus end = events.awaitTerminal(t.getId());
      assertThat(end.getState()).isEqualTo(TaskState.SHUTDOWN);
      assertThat(end.getHealth()).isEqualTo(TaskStatus.Health.HEALTHY);
    } finally {
      new java.io.File(ready).delete();
    }
  }

  @Test
  void aTaskWhoseChecksFailRetriesTimesIsStoppedAndFailsUnhealthy() {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task t =
        withCheck(
            shell(GRACEFUL),
            "A=b",
            "echo not ready; exit 1",
            Duration.ofMillis(200),
            Duration.ofSeconds(5),
            2);
    l.start(t, events);

    TaskStatus failed = events.awaitTerminal(t.getId());
    assertThat(failed.getState()).isEqualTo(TaskState.FAILED);
    assertThat(failed.getErr()).isEqualTo("unhealthy container");
    assertThat(failed.getHealth()).isEqualTo(TaskStatus.Health.UNHEALTHY);
    assertThat(failed.getMessage())
        .as("it never passed, so it failed starting")
        .isEqualTo("starting");
    assertThat(events.states(t.getId())).doesNotContain(TaskState.RUNNING);
    assertThat(read(l, t.getId(), LogSubscriptionOptions.getDefaultInstance()).text)
        .as("it was stopped with its stop signal")
        .contains("bye\n");
  }

  @Test
  void aCheckThatRunsPastItsTimeoutFails() {
    TaskLifecycle<?> l = lifecycle();
    TaskEvents events = events();
    Task t =
        withCheck(
            shell(GRACEFUL), "A=b", "sleep 30", Duration.ofMillis(200), Duration.ofMillis(300), 1);
    l.start(t, events);

    TaskStatus failed = events.awaitTerminal(t.getId());
    assertThat(failed.getErr()).isEqualTo("unhealthy container");
    assertThat(failed.getHealth()).isEqualTo(TaskStatus.Health.UNHEALTHY);
  }
}
