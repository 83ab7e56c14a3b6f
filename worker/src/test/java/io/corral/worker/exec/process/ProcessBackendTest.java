package io.corral.worker.exec.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.ContainerSpec;
import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.ProtoTime;
import io.corral.worker.agent.TaskEvents;
import io.corral.worker.agent.TaskLifecycle;
import io.corral.worker.agent.TaskRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process backend (under the task lifecycle) with real /bin/sh processes: what only it does.
 */
class ProcessBackendTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path tmp;
  private Path images;
  private Path state;
  private final List<TaskLifecycle<ProcessTask>> runtimes = new ArrayList<>();
  private final TaskEvents recorder = new TaskEvents(WAIT);

  /** Collects log lines until ended. */
  static final class Lines implements TaskRuntime.LogSink {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<Instant> times = new CopyOnWriteArrayList<>();
    final AtomicBoolean ended = new AtomicBoolean();

    @Override
    public void line(Instant time, LogStream stream, byte[] data) {
      lines.add(
          (stream == LogStream.LOG_STREAM_STDERR ? "err:" : "")
              + new String(data, StandardCharsets.UTF_8));
      times.add(time);
    }

    @Override
    public void end() {
      assertThat(ended.getAndSet(true)).as("end called once").isFalse();
    }
  }

  @BeforeEach
  void dirs() {
    images = tmp.resolve("images");
    state = tmp.resolve("tasks");
  }

  @AfterEach
  void stopAll() {
    for (TaskLifecycle<ProcessTask> r : runtimes) {
      r.close();
    }
    ProcessBackend.killAll(state); // leave no process behind
  }

  /**
   * A lifecycle over a new process backend of the node (a second one is the node after a restart).
   */
  private TaskLifecycle<ProcessTask> fresh() {
    TaskLifecycle<ProcessTask> r = new TaskLifecycle<>(new ProcessBackend(images, state));
    runtimes.add(r);
    return r;
  }

  private TaskLifecycle<ProcessTask> runtime() {
    TaskLifecycle<ProcessTask> r = fresh();
    r.adopt(recorder);
    return r;
  }

  /** Starts the task and waits until it runs; its RUNNING status. */
  private TaskStatus started(TaskRuntime r, Task task) {
    r.start(task, recorder);
    return recorder.awaitState(task.getId(), TaskState.RUNNING);
  }

  private void image(String name, String tag, String manifest) throws IOException {
    Path dir = images.resolve(name).resolve(tag);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("image.properties"), manifest);
  }

  private static Task task(String id, ContainerSpec.Builder container) {
    return Task.newBuilder()
        .setId(id)
        .setSpec(TaskSpec.newBuilder().setContainer(container))
        .build();
  }

  private static ContainerSpec.Builder spec(String image, String... command) {
    return ContainerSpec.newBuilder().setImage(image).addAllCommand(List.of(command));
  }

  private static String quote(String s) {
    return s.replace("\\", "\\\\");
  }

  private List<String> readLogs(TaskRuntime r, String taskId, LogSubscriptionOptions options) {
    Lines lines = new Lines();
    r.logs(taskId, options, lines);
    await().atMost(WAIT).untilTrue(lines.ended);
    return lines.lines;
  }

  @Test
  void aTaskRunsThroughEveryStateAndCompletesWithExitZero() throws IOException {
    image("app", "1", "entrypoint=/bin/sh -c \"echo hello; echo oops >&2\"\n");
    TaskLifecycle<ProcessTask> r = runtime();
    r.start(task("t1", spec("app:1")), recorder);
    TaskStatus done = recorder.awaitState("t1", TaskState.COMPLETE);
    assertThat(recorder.states("t1"))
        .containsExactly(
            TaskState.ACCEPTED,
            TaskState.PREPARING,
            TaskState.READY,
            TaskState.STARTING,
            TaskState.RUNNING,
            TaskState.COMPLETE);
    assertThat(done.getContainer().getExitCode()).isZero();
    assertThat(done.getContainer().getPid()).isPositive();
    assertThat(done.getErr()).isEmpty();
    assertThat(recorder.statuses.get("t1")).allMatch(s -> s.getTimestamp().getSeconds() > 0);
    TaskStatus running = recorder.statuses.get("t1").get(4);
    assertThat(running.getContainer().getPid()).isEqualTo(done.getContainer().getPid());
    assertThat(readLogs(r, "t1", LogSubscriptionOptions.getDefaultInstance()))
        .containsExactlyInAnyOrder("hello\n", "err:oops\n");
  }

  @Test
  void aCommandThatCannotStartFailsWithTheReason() throws IOException {
    image("app", "1", "entrypoint=/bin/true\n");
    TaskLifecycle<ProcessTask> r = runtime();
    r.start(task("t1", spec("app:1", "no-such-program-here")), recorder);
    TaskStatus failed = recorder.awaitState("t1", TaskState.FAILED);
    assertThat(failed.getErr())
        .isEqualTo(
            "starting container failed: exec: \"no-such-program-here\": executable file not found in $PATH");
    assertThat(recorder.states("t1")).doesNotContain(TaskState.RUNNING);
    r.start(task("t2", spec("app:1").setUser("no-such-user-here")), recorder);
    assertThat(recorder.awaitState("t2", TaskState.FAILED).getErr())
        .isEqualTo(
            "starting container failed: unable to find user no-such-user-here: no matching entries in passwd file");
  }

  @Test
  void stopSendsTermWhichTheTaskHonours() throws IOException {
    image(
        "app",
        "1",
        "entrypoint="
            + quote(
                "/bin/sh -c \"trap 'echo bye; exit 0' TERM; echo up; while true; do sleep 0.1; done\"")
            + "\n");
    TaskLifecycle<ProcessTask> r = runtime();
    started(r, task("t1", spec("app:1")));
    await()
        .atMost(WAIT)
        .until(
            () -> readLogs(r, "t1", LogSubscriptionOptions.getDefaultInstance()).contains("up\n"));
    r.stop("t1", Duration.ofMinutes(5));
    TaskStatus shutdown = recorder.awaitState("t1", TaskState.SHUTDOWN);
    assertThat(shutdown.getContainer().getExitCode()).isZero();
    assertThat(readLogs(r, "t1", LogSubscriptionOptions.getDefaultInstance())).contains("bye\n");
    assertThat(ProcessHandle.of(shutdown.getContainer().getPid()).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
  }

  @Test
  void stopKillsATaskThatIgnoresTermAfterTheGracePeriod() throws IOException {
    image(
        "stubborn",
        "1",
        "entrypoint="
            + quote("/bin/sh -c \"trap '' TERM; echo up; while true; do sleep 0.1; done\"")
            + "\n");
    TaskLifecycle<ProcessTask> r = runtime();
    started(r, task("t1", spec("stubborn:1")));
    await()
        .atMost(WAIT)
        .until(
            () -> readLogs(r, "t1", LogSubscriptionOptions.getDefaultInstance()).contains("up\n"));
    r.stop("t1", Duration.ofMillis(300));
    TaskStatus shutdown = recorder.awaitState("t1", TaskState.SHUTDOWN);
    assertThat(shutdown.getContainer().getExitCode()).isEqualTo(137);
    int pid = shutdown.getContainer().getPid();
    await()
        .atMost(WAIT)
        .until(
            () ->
                !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    || ProcStat.read(pid).map(s -> !s.alive()).orElse(true));
  }

  @Test
  void imageEnvWorkdirAndCmdAreOverriddenByTheTask() throws IOException {
    Files.createDirectories(tmp.resolve("work"));
    image(
        "env",
        "1",
        String.join(
            "\n",
            "entrypoint=/bin/sh -c 'echo \"$0 $* A=$A B=$B dir=$(pwd)\"'",
            "cmd=img-arg0 img-arg1",
            "env.A=from-image",
            "env.B=from-image",
            "workdir=" + tmp,
            ""));
    TaskLifecycle<ProcessTask> r = runtime();
    r.start(task("img", spec("env:1")), recorder);
    recorder.awaitState("img", TaskState.COMPLETE);
    assertThat(readLogs(r, "img", LogSubscriptionOptions.getDefaultInstance()))
        .containsExactly("img-arg0 img-arg1 A=from-image B=from-image dir=" + tmp + "\n");

    r.start(
        task(
            "task",
            spec("env:1")
                .addArgs("arg0")
                .addArgs("arg1")
                .addEnv("B=from-task")
                .setDir(tmp.resolve("work").toString())),
        recorder);
    recorder.awaitState("task", TaskState.COMPLETE);
    assertThat(readLogs(r, "task", LogSubscriptionOptions.getDefaultInstance()))
        .containsExactly("arg0 arg1 A=from-image B=from-task dir=" + tmp.resolve("work") + "\n");

    // A command replaces the entrypoint and drops the image's cmd.
    r.start(task("cmd", spec("env:1", "/bin/sh", "-c", "echo \"$# $A\"")), recorder);
    recorder.awaitState("cmd", TaskState.COMPLETE);
    assertThat(readLogs(r, "cmd", LogSubscriptionOptions.getDefaultInstance()))
        .containsExactly("0 from-image\n");
  }

  @Test
  void aTaskRunsAsItsUser() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(isRoot(), "switching users needs root");
    image("id", "1", "entrypoint=/bin/sh -c 'echo $(id -u):$(id -g) $HOME'\n");
    TaskLifecycle<ProcessTask> r = runtime();
    r.start(task("named", spec("id:1").setUser("nobody")), recorder);
    r.start(task("numeric", spec("id:1").setUser("4242:4343")), recorder);
    recorder.awaitState("named", TaskState.COMPLETE);
    recorder.awaitState("numeric", TaskState.COMPLETE);
    assertThat(readLogs(r, "named", LogSubscriptionOptions.getDefaultInstance()))
        .containsExactly("65534:65534 /nonexistent\n");
    assertThat(readLogs(r, "numeric", LogSubscriptionOptions.getDefaultInstance()))
        .containsExactly("4242:4343 /\n");
  }

  private static boolean isRoot() {
    return ProcStat.effectiveUid() == 0;
  }

  @Test
  void aNewRuntimeAdoptsARunningTaskInsteadOfStartingItAgain() throws IOException {
    image(
        "app",
        "1",
        "entrypoint="
            + quote(
                "/bin/sh -c \"trap 'exit 0' TERM; echo before; while [ ! -e go ]; do sleep 0.05; done; "
                    + "echo after; while true; do sleep 0.1; done\"")
            + "\nworkdir="
            + tmp
            + "\n");
    TaskLifecycle<ProcessTask> first = runtime();
    int pid = started(first, task("t1", spec("app:1"))).getContainer().getPid();
    first.close(); // as if the daemon were killed: the process keeps running

    Files.createFile(tmp.resolve("go")); // output written while no daemon watches
    TaskEvents second = new TaskEvents(WAIT);
    TaskLifecycle<ProcessTask> next = fresh();
    Map<String, TaskStatus> adopted = next.adopt(second);
    assertThat(adopted).containsOnlyKeys("t1");
    assertThat(adopted.get("t1").getState()).isEqualTo(TaskState.RUNNING);
    assertThat(adopted.get("t1").getContainer().getPid()).isEqualTo(pid);

    next.start(task("t1", spec("app:1")), second); // a repeated start must not run it twice
    await()
        .atMost(WAIT)
        .until(
            () ->
                readLogs(next, "t1", LogSubscriptionOptions.getDefaultInstance())
                    .equals(List.of("before\n", "after\n")));
    next.stop("t1", Duration.ofMinutes(1));
    assertThat(second.awaitState("t1", TaskState.SHUTDOWN).getContainer().getExitCode()).isZero();
    assertThat(second.states("t1")).containsExactly(TaskState.SHUTDOWN);
  }

  @Test
  void aNewRuntimeLearnsHowATaskThatEndedMeanwhileExited() throws IOException {
    image(
        "app",
        "1",
        "entrypoint="
            + quote("/bin/sh -c \"while [ ! -e go ]; do sleep 0.05; done; echo bye; exit 4\"")
            + "\nworkdir="
            + tmp
            + "\n");
    TaskLifecycle<ProcessTask> first = runtime();
    int pid = started(first, task("t1", spec("app:1"))).getContainer().getPid();
    first.close();

    Files.createFile(tmp.resolve("go"));
    await().atMost(WAIT).until(() -> ProcStat.read(pid).map(s -> !s.alive()).orElse(true));
    TaskLifecycle<ProcessTask> next = fresh();
    Map<String, TaskStatus> adopted = next.adopt(new TaskEvents(WAIT));
    assertThat(adopted.get("t1").getState()).isEqualTo(TaskState.FAILED);
    assertThat(adopted.get("t1").getErr()).isEqualTo("task: non-zero exit (4)");
    assertThat(adopted.get("t1").getContainer().getExitCode()).isEqualTo(4);
    assertThat(readLogs(next, "t1", LogSubscriptionOptions.getDefaultInstance()))
        .containsExactly("bye\n");
    assertThat(recorder.states("t1"))
        .doesNotContain(TaskState.FAILED); // the first runtime saw nothing of it
  }

  @Test
  void logsHonourTailStreamsAndFollowUntilTheTaskEnds() throws IOException {
    image(
        "app",
        "1",
        "entrypoint="
            + quote(
                "/bin/sh -c \"for i in 1 2 3 4 5; do echo line$i; done; echo problem >&2; "
                    + "while [ ! -e go ]; do sleep 0.05; done; printf 'last'\"")
            + "\nworkdir="
            + tmp
            + "\n");
    TaskLifecycle<ProcessTask> r = runtime();
    r.start(task("t1", spec("app:1")), recorder);
    await()
        .atMost(WAIT)
        .until(() -> readLogs(r, "t1", LogSubscriptionOptions.getDefaultInstance()).size() == 6);

    assertThat(
            readLogs(
                r,
                "t1",
                LogSubscriptionOptions.newBuilder()
                    .setTail(2)
                    .addStreams(LogStream.LOG_STREAM_STDOUT)
                    .build()))
        .containsExactly("line4\n", "line5\n");
    assertThat(
            readLogs(
                r,
                "t1",
                LogSubscriptionOptions.newBuilder()
                    .addStreams(LogStream.LOG_STREAM_STDERR)
                    .build()))
        .containsExactly("err:problem\n");
    assertThat(readLogs(r, "t1", LogSubscriptionOptions.newBuilder().setTail(0).build())).isEmpty();

    Lines follow = new Lines();
    r.logs(
        "t1",
        LogSubscriptionOptions.newBuilder()
            .setFollow(true)
            .setTail(1)
            .addStreams(LogStream.LOG_STREAM_STDOUT)
            .build(),
        follow);
    await().atMost(WAIT).until(() -> follow.lines.equals(List.of("line5\n")));
    assertThat(follow.ended).isFalse();
    Files.createFile(tmp.resolve("go"));
    await().atMost(WAIT).untilTrue(follow.ended);
    assertThat(follow.lines)
        .containsExactly("line5\n", "last"); // a last line without newline still comes
    assertThat(recorder.states("t1")).contains(TaskState.COMPLETE);
  }

  @Test
  void removeStopsTheTaskAndDeletesItsState() throws IOException {
    image(
        "app", "1", "entrypoint=" + quote("/bin/sh -c \"while true; do sleep 0.1; done\"") + "\n");
    TaskLifecycle<ProcessTask> r = runtime();
    int pid = started(r, task("t1", spec("app:1"))).getContainer().getPid();
    r.remove("t1", Duration.ofSeconds(30));
    await().atMost(WAIT).until(() -> !Files.exists(state.resolve("t1")));
    assertThat(ProcStat.read(pid).map(ProcStat::alive)).isNotEqualTo(java.util.Optional.of(true));
    TaskLifecycle<ProcessTask> next = fresh();
    assertThat(next.adopt(new TaskEvents(WAIT))).isEmpty();
  }

  @Test
  void aStopAskedOfTheDaemonBeforeItsRestartIsCompletedByTheNextOne() throws IOException {
    image(
        "stubborn",
        "1",
        "entrypoint="
            + quote("/bin/sh -c \"trap '' TERM; while true; do sleep 0.1; done\"")
            + "\n");
    TaskLifecycle<ProcessTask> first = runtime();
    started(first, task("t1", spec("stubborn:1")));
    first.stop(
        "t1",
        Duration.ofHours(1)); // TERM is ignored and the daemon dies before the grace period ends
    first.close();

    TaskEvents second = new TaskEvents(WAIT);
    TaskLifecycle<ProcessTask> next = fresh();
    assertThat(next.adopt(second).get("t1").getState()).isEqualTo(TaskState.RUNNING);
    next.stop("t1", Duration.ofMillis(100));
    TaskStatus shutdown = second.awaitState("t1", TaskState.SHUTDOWN);
    assertThat(shutdown.getContainer().getExitCode()).isEqualTo(137);
  }

  @Test
  void aTaskKilledWhileNoDaemonWatchedFailsWithALostExitCode() throws IOException {
    image(
        "app", "1", "entrypoint=" + quote("/bin/sh -c \"while true; do sleep 0.1; done\"") + "\n");
    TaskLifecycle<ProcessTask> first = runtime();
    started(first, task("t1", spec("app:1")));
    first.close();
    LaunchRecord launch = new TaskDir(state.resolve("t1")).readLaunch().orElseThrow();
    assertThat(Signals.sendToGroup(launch.pid(), "KILL")).isTrue();
    await().atMost(WAIT).until(() -> !launch.alive());

    TaskLifecycle<ProcessTask> next = fresh();
    TaskStatus adopted = next.adopt(new TaskEvents(WAIT)).get("t1");
    assertThat(adopted.getState()).isEqualTo(TaskState.FAILED);
    assertThat(adopted.getErr()).contains("exit code was lost");
  }

  @Test
  void logLinesCarryTheTimeTheyWereWrittenAndSinceSelectsByIt() throws IOException {
    image(
        "app",
        "1",
        "entrypoint="
            + quote("/bin/sh -c \"echo early; while [ ! -e go ]; do sleep 0.05; done; echo late\"")
            + "\nworkdir="
            + tmp
            + "\n");
    TaskLifecycle<ProcessTask> r = runtime();
    Instant before = Instant.now();
    r.start(task("t1", spec("app:1")), recorder);
    await()
        .atMost(WAIT)
        .until(() -> readLogs(r, "t1", LogSubscriptionOptions.getDefaultInstance()).size() == 1);
    Instant between = Instant.now();
    Files.createFile(tmp.resolve("go"));
    recorder.awaitState("t1", TaskState.COMPLETE);
    Instant after = Instant.now();

    Lines all = new Lines();
    r.logs("t1", LogSubscriptionOptions.getDefaultInstance(), all);
    await().atMost(WAIT).untilTrue(all.ended);
    assertThat(all.lines).containsExactly("early\n", "late\n");
    // File times come from the kernel's coarse clock, which may lag a few milliseconds behind
    // Instant.now().
    assertThat(all.times.get(0)).isBetween(before.minusMillis(50), between);
    assertThat(all.times.get(1)).isBetween(between.minusMillis(50), after);
    assertThat(all.times.get(0)).isBefore(all.times.get(1));
    assertThat(
            readLogs(
                r,
                "t1",
                LogSubscriptionOptions.newBuilder()
                    .setSince(ProtoTime.timestamp(all.times.get(1)))
                    .build()))
        .containsExactly("late\n");
  }

  @Test
  void manyTasksStartedAtOnceEachRunOnceWithTheirOwnOutput() throws IOException {
    image("app", "1", "entrypoint=/bin/sh -c 'echo \"$0\"'\n");
    TaskLifecycle<ProcessTask> r = runtime();
    for (int i = 0; i < 40; i++) {
      r.start(task("t" + i, spec("app:1").addArgs("task-" + i)), recorder);
    }
    for (int i = 0; i < 40; i++) {
      recorder.awaitState("t" + i, TaskState.COMPLETE);
      assertThat(recorder.states("t" + i))
          .containsExactly(
              TaskState.ACCEPTED,
              TaskState.PREPARING,
              TaskState.READY,
              TaskState.STARTING,
              TaskState.RUNNING,
              TaskState.COMPLETE);
      assertThat(readLogs(r, "t" + i, LogSubscriptionOptions.getDefaultInstance()))
          .containsExactly("task-" + i + "\n");
    }
  }

  @Test
  void aProcessStartedJustBeforeACrashWithoutItsLaunchRecordIsKilledNotLeftRunning()
      throws IOException {
    TaskDir dir = new TaskDir(state.resolve("t1"));
    dir.create();
    LaunchPlan plan =
        new LaunchPlan(
            List.of("/bin/sh", "-c", "while true; do sleep 0.1; done"),
            Map.of("PATH", LaunchPlan.DEFAULT_PATH),
            tmp,
            "",
            List.of(),
            "");
    Launched launched = ProcessLauncher.system().launch(dir, plan, java.util.Optional.empty());
    assertThat(ProcStat.isAlive(launched.pid(), launched.pidStartTime())).isTrue();

    TaskLifecycle<ProcessTask> next = fresh();
    TaskStatus status = next.adopt(new TaskEvents(WAIT)).get("t1");
    assertThat(status.getState()).isEqualTo(TaskState.REJECTED);
    assertThat(status.getErr()).isEqualTo("the daemon restarted while the task was being prepared");
    await().atMost(WAIT).until(() -> !ProcStat.isAlive(launched.pid(), launched.pidStartTime()));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Health checks the image gives
  // ---------------------------------------------------------------------------------------------------------

  private static final String LOOP =
      "entrypoint=/bin/sh -c \"trap 'exit 0' TERM; while true; do sleep 0.1; done\"\n";

  @Test
  void aTaskInheritsItsImagesHealthcheckAndNoneDisablesIt() throws IOException {
    image(
        "sick",
        "1",
        LOOP
            + "healthcheck=echo never ready; exit 1\nhealthcheck.interval=200ms\n"
            + "healthcheck.retries=2\n");
    TaskLifecycle<ProcessTask> r = runtime();
    r.start(task("inherits", spec("sick:1")), recorder);
    TaskStatus failed = recorder.awaitTerminal("inherits");
    assertThat(failed.getState()).isEqualTo(TaskState.FAILED);
    assertThat(failed.getErr()).isEqualTo("unhealthy container");
    assertThat(failed.getHealth()).isEqualTo(TaskStatus.Health.UNHEALTHY);
    assertThat(failed.getContainer().getExitCode()).isZero(); // its trap ran on SIGTERM

    ContainerSpec.Builder disabled =
        spec("sick:1").setHealthcheck(io.corral.api.HealthConfig.newBuilder().addTest("NONE"));
    TaskStatus running = started(r, task("disabled", disabled));
    assertThat(running.getHealth()).isEqualTo(TaskStatus.Health.NONE);
    assertThat(recorder.states("disabled")).containsOnlyOnce(TaskState.STARTING);
  }

  @Test
  void anAdoptedTaskKeepsBeingCheckedAndFailsOnceUnhealthy() throws IOException {
    Path ready = tmp.resolve("ready");
    Files.createFile(ready);
    image(
        "app",
        "1",
        LOOP
            + "healthcheck=test -f "
            + quote(ready.toString())
            + "\nhealthcheck.interval=200ms\nhealthcheck.retries=1\n");
    TaskLifecycle<ProcessTask> first = runtime();
    assertThat(started(first, task("t1", spec("app:1"))).getHealth())
        .isEqualTo(TaskStatus.Health.HEALTHY);
    first.close(); // as if the daemon were killed: the process keeps running

    TaskEvents second = new TaskEvents(WAIT);
    TaskLifecycle<ProcessTask> next = fresh();
    assertThat(next.adopt(second).get("t1").getState()).isEqualTo(TaskState.RUNNING);
    await().atMost(WAIT).until(() -> second.last("t1") != null);
    assertThat(second.last("t1").getHealth()).isEqualTo(TaskStatus.Health.HEALTHY);

    Files.delete(ready);
    TaskStatus failed = second.awaitTerminal("t1");
    assertThat(failed.getState()).isEqualTo(TaskState.FAILED);
    assertThat(failed.getErr()).isEqualTo("unhealthy container");
  }
}
