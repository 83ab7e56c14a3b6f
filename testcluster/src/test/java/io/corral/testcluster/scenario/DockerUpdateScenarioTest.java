package io.corral.testcluster.scenario;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.corral.testcluster.NeedsRoot;
import io.corral.worker.exec.docker.DockerClient;
import java.util.List;

/**
 * The update scenarios with the Docker executor: the five nodes share the machine's dockerd and run
 * the corral-test images imported offline by bin/ci-docker-setup (bin/docker-test-images), each
 * with its own command. On CI the engine must be there; elsewhere the class is skipped without one.
 */
@NeedsRoot
class DockerUpdateScenarioTest extends UpdateScenarios {

  @Override
  List<String> executorOptions() {
    return List.of("--executor", "docker");
  }

  @Override
  void assumeExecutorAvailable() {
    if (System.getenv("CI") == null) {
      try (DockerClient docker = DockerClient.local()) {
        boolean all = docker.ping();
        for (Release r : Release.values()) {
          all = all && docker.inspectImage(image(r)).isPresent();
        }
        assumeThat(all)
            .as("a Docker engine with the corral-test images (run bin/ci-docker-setup as root)")
            .isTrue();
      }
    }
  }

  @Override
  void prepareImages() {
    // bin/ci-docker-setup imported the images; nothing per node.
  }

  @Override
  String image(Release release) {
    return switch (release) {
      case V1 -> "corral-test/busybox:1";
      case V2 -> "corral-test/busybox:2";
      case EXITING -> "corral-test/exit:1";
      case UNHEALTHY -> "corral-test/unhealthy:1";
    };
  }
}
