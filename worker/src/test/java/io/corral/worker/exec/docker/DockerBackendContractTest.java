package io.corral.worker.exec.docker;

import io.corral.api.Annotations;
import io.corral.api.ContainerSpec;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.worker.agent.TaskBackend;
import io.corral.worker.agent.TaskBackendContract;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The executor contract for the docker backend against the real engine (skipped without one). */
class DockerBackendContractTest extends TaskBackendContract {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String node = "test-node-c-" + run;
  private final AtomicInteger slots = new AtomicInteger();
  private DockerClient docker;

  @BeforeEach
  void connect() {
    docker = DockerAvailable.clientOrSkip();
  }

  @AfterEach
  void cleanUp() {
    closeLifecycles();
    DockerAvailable.removeNodesContainers(docker, node);
  }

  @Override
  protected TaskBackend<?> newBackend() {
    return new DockerBackend(docker, node, "none");
  }

  @Override
  protected Task shell(String script) {
    return task(
        ContainerSpec.newBuilder()
            .setImage(DockerAvailable.IMAGE)
            .addCommand("sh")
            .addArgs("-c")
            .addArgs(script));
  }

  @Override
  protected Task image(String image) {
    return task(ContainerSpec.newBuilder().setImage(image));
  }

  private Task task(ContainerSpec.Builder container) {
    return Task.newBuilder()
        .setId("task" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
        .setServiceId("svc-" + run)
        .setSlot(slots.incrementAndGet())
        .setServiceAnnotations(Annotations.newBuilder().setName("contract-" + run))
        .setDesiredState(TaskState.RUNNING)
        .setSpec(TaskSpec.newBuilder().setContainer(container))
        .build();
  }

  @Override
  protected boolean hasLeftovers(String taskId) {
    return !docker.listContainers(Map.of(ContainerConfigs.LABEL_TASK_ID, taskId)).isEmpty();
  }

  @Override
  protected Duration timeout() {
    return Duration.ofSeconds(60);
  }
}
