package io.corral.worker.exec.process;

import io.corral.api.ContainerSpec;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.worker.agent.TaskBackend;
import io.corral.worker.agent.TaskBackendContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The executor contract for the process backend, with real /bin/sh processes. */
class ProcessBackendContractTest extends TaskBackendContract {

  @TempDir Path tmp;

  @BeforeEach
  void images() throws IOException {
    Path sh = tmp.resolve("images/sh/1");
    Files.createDirectories(sh);
    Files.writeString(sh.resolve("image.properties"), "entrypoint=/bin/sh\n");
  }

  @AfterEach
  void killLeftovers() {
    ProcessBackend.killAll(tmp.resolve("tasks")); // leave no process behind
  }

  @Override
  protected TaskBackend<?> newBackend() {
    return new ProcessBackend(tmp.resolve("images"), tmp.resolve("tasks"));
  }

  @Override
  protected Task shell(String script) {
    return task(
        ContainerSpec.newBuilder()
            .setImage("sh:1")
            .addCommand("/bin/sh")
            .addArgs("-c")
            .addArgs(script));
  }

  @Override
  protected Task image(String image) {
    return task(ContainerSpec.newBuilder().setImage(image));
  }

  private static Task task(ContainerSpec.Builder container) {
    return Task.newBuilder()
        .setId("task" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
        .setSpec(TaskSpec.newBuilder().setContainer(container))
        .build();
  }

  @Override
  protected boolean hasLeftovers(String taskId) {
    return Files.exists(tmp.resolve("tasks").resolve(taskId));
  }

  @Override
  protected Duration timeout() {
    return Duration.ofSeconds(20);
  }
}
