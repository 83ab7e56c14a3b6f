package io.corral.testcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.ContainerSpec;
import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.worker.agent.TaskBackend;
import io.corral.worker.agent.TaskLifecycle;
import io.corral.worker.agent.TaskRuntime;
import io.corral.worker.exec.process.ImageManifest;
import io.corral.worker.exec.process.ProcessBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example images run under the process executor as their descriptions say. */
class ExampleImagesTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  private TaskLifecycle<?> runtime;
  private final Map<String, List<TaskStatus>> statuses = new ConcurrentHashMap<>();
  private final TaskRuntime.Listener listener =
      (id, s) -> statuses.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(s);

  @BeforeEach
  void start() {
    ExampleImages.writeTo(tmp.resolve("images"));
    runtime = over(new ProcessBackend(tmp.resolve("images"), tmp.resolve("tasks")));
  }

  @AfterEach
  void stop() {
    runtime.close();
    ProcessBackend.killAll(tmp.resolve("tasks"));
  }

  private static <H extends TaskBackend.Handle> TaskLifecycle<H> over(TaskBackend<H> backend) {
    return new TaskLifecycle<>(backend);
  }

  private static Task task(String id, String image) {
    return Task.newBuilder()
        .setId(id)
        .setSpec(TaskSpec.newBuilder().setContainer(ContainerSpec.newBuilder().setImage(image)))
        .build();
  }

  private TaskStatus last(String id) {
    List<TaskStatus> all = statuses.getOrDefault(id, List.of());
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  private TaskStatus awaitState(String id, TaskState state) {
    await().atMost(WAIT).until(() -> last(id) != null && last(id).getState() == state);
    return last(id);
  }

  private String logs(String id) {
    StringBuilder text = new StringBuilder();
    boolean[] ended = new boolean[1];
    runtime.logs(
        id,
        LogSubscriptionOptions.getDefaultInstance(),
        new TaskRuntime.LogSink() {
          @Override
          public void line(Instant time, LogStream stream, byte[] data) {
            synchronized (text) {
              text.append(new String(data, StandardCharsets.UTF_8));
            }
          }

          @Override
          public void end() {
            synchronized (text) {
              ended[0] = true;
            }
          }
        });
    await()
        .atMost(WAIT)
        .until(
            () -> {
              synchronized (text) {
                return ended[0];
              }
            });
    synchronized (text) {
      return text.toString();
    }
  }

  @Test
  void bothHelloVersionsRunSayWhichTheyAreAndExitZeroOnSigterm() {
    for (String image : List.of(ExampleImages.HELLO, ExampleImages.HELLO_2)) {
      String id = image.endsWith(":1") ? "hello1" : "hello2";
      runtime.start(task(id, image), listener);
      awaitState(id, TaskState.RUNNING);
      await().atMost(WAIT).until(() -> logs(id).startsWith("hello from"));
      // A grace period far beyond the test's wait: only the task's own SIGTERM trap ends it in
      // time.
      runtime.stop(id, Duration.ofMinutes(5));
      TaskStatus end = awaitState(id, TaskState.SHUTDOWN);
      assertThat(end.getContainer().getExitCode()).isZero();
    }
    assertThat(logs("hello2")).contains("version 2");
    assertThat(logs("hello1")).doesNotContain("version 2");
  }

  @Test
  void exitFailsAtOnceWithStatusOne() {
    runtime.start(task("exit", ExampleImages.EXIT), listener);
    TaskStatus failed = awaitState("exit", TaskState.FAILED);
    assertThat(failed.getErr()).isEqualTo("task: non-zero exit (1)");
  }

  @Test
  void unhealthyIsStoppedForItsFailingImageHealthcheck() {
    runtime.start(task("sick", ExampleImages.UNHEALTHY), listener);
    TaskStatus failed = awaitState("sick", TaskState.FAILED);
    assertThat(failed.getErr()).isEqualTo("unhealthy container");
    assertThat(failed.getHealth()).isEqualTo(TaskStatus.Health.UNHEALTHY);
    assertThat(failed.getContainer().getExitCode()).as("its SIGTERM trap ran").isZero();
    assertThat(statuses.get("sick")).noneMatch(s -> s.getState() == TaskState.RUNNING);
  }

  @Test
  void webRunsItsScriptThroughShWithoutMangling() throws Exception {
    ImageManifest web =
        ImageManifest.load(tmp.resolve("images").resolve("example/web").resolve("1"));
    // The manifest's shell words keep the script whole: /bin/sh gets it as one argument.
    assertThat(web.entrypoint()).containsExactly("/bin/sh", "-c", ExampleImages.WEB_SCRIPT);
  }
}
