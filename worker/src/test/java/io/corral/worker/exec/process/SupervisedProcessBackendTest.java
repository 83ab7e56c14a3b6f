package io.corral.worker.exec.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.ContainerSpec;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.worker.agent.StatusReporter;
import io.corral.worker.agent.TaskLifecycle;
import io.corral.worker.agent.TaskSupervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's supervisor driving the process backend across a daemon restart. */
class SupervisedProcessBackendTest {

  @TempDir Path tmp;
  private final StatusReporter reporter = new StatusReporter();

  @AfterEach
  void cleanUp() {
    reporter.close();
    ProcessBackend.killAll(tmp.resolve("tasks"));
  }

  private static Task task(TaskState state) {
    return Task.newBuilder()
        .setId("t1")
        .setDesiredState(TaskState.RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(state))
        .setSpec(
            TaskSpec.newBuilder()
                .setContainer(
                    ContainerSpec.newBuilder()
                        .setImage("app:1")
                        .setStopGracePeriod(
                            com.google.protobuf.Duration.newBuilder().setSeconds(30))))
        .build();
  }

  @Test
  void aRestartedAgentAdoptsTheRunningProcessAndRemovesItWhenNoLongerAssigned() throws Exception {
    Path images = tmp.resolve("images");
    Path state = tmp.resolve("tasks");
    Files.createDirectories(images.resolve("app/1"));
    Files.writeString(
        images.resolve("app/1/image.properties"),
        "entrypoint=/bin/sh -c \"trap 'exit 0' TERM; while true; do sleep 0.1; done\"\n");
    TaskDir dir = new TaskDir(state.resolve("t1"));

    TaskLifecycle<ProcessTask> first = new TaskLifecycle<>(new ProcessBackend(images, state));
    new TaskSupervisor(first, reporter).replaceAll(List.of(task(TaskState.ASSIGNED)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> dir.readLaunch().map(LaunchRecord::alive).orElse(false));
    LaunchRecord running = dir.readLaunch().orElseThrow();
    first.close();

    TaskLifecycle<ProcessTask> next = new TaskLifecycle<>(new ProcessBackend(images, state));
    try {
      TaskSupervisor supervisor = new TaskSupervisor(next, reporter);
      supervisor.replaceAll(List.of(task(TaskState.RUNNING)));
      assertThat(dir.readLaunch()).contains(running); // the same process: not started a second time
      assertThat(running.alive()).isTrue();

      supervisor.replaceAll(List.of());
      await().atMost(Duration.ofSeconds(20)).until(() -> !dir.exists());
      assertThat(running.alive()).isFalse();
    } finally {
      next.close();
    }
  }
}
