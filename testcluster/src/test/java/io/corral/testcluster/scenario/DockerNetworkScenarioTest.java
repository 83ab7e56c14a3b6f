package io.corral.testcluster.scenario;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.corral.api.Task;
import io.corral.testcluster.NeedsRoot;
import io.corral.testcluster.cluster.TaskExec;
import io.corral.worker.exec.docker.ContainerConfigs;
import io.corral.worker.exec.docker.DockerClient;
import java.util.List;

/**
 * The overlay-network scenarios with the Docker executor: tasks run corral-test/web:1 (built
 * offline by bin/docker-test-images), joined to their overlays through a sandbox container, and
 * client commands run with {@code docker exec} in the task's container (named as the executor names
 * it). On CI the engine must be there; elsewhere the class is skipped without one.
 */
@NeedsRoot
class DockerNetworkScenarioTest extends NetworkScenarios {

  static final String IMAGE = "corral-test/web:1";

  @Override
  List<String> executorOptions() {
    return List.of("--executor", "docker");
  }

  @Override
  void assumeExecutorAvailable() {
    if (System.getenv("CI") == null) {
      try (DockerClient docker = DockerClient.local()) {
        assumeThat(docker.ping() && docker.inspectImage(IMAGE).isPresent())
            .as("a Docker engine with %s (run bin/ci-docker-setup as root)", IMAGE)
            .isTrue();
      }
    }
  }

  @Override
  void prepareImages() {
    // bin/ci-docker-setup imported the image; nothing per node.
  }

  @Override
  String webImage() {
    return IMAGE;
  }

  @Override
  List<String> inTask(Task task, String node, List<String> command) {
    return TaskExec.inContainer(ContainerConfigs.containerName(task), command);
  }
}
