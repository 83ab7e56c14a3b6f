package io.corral.testcluster.scenario;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.corral.testcluster.NeedsRoot;
import io.corral.worker.exec.docker.DockerClient;
import java.util.List;

/**
 * The service scenarios with the Docker executor: the five nodes share the machine's dockerd (each
 * only touches containers labelled with its node id) and run corral-test/busybox:1, imported
 * offline by bin/ci-docker-setup. On CI the engine must be there; elsewhere the class is skipped
 * without one.
 */
@NeedsRoot
class DockerServiceScenarioTest extends ServiceScenarios {

  static final String IMAGE = "corral-test/busybox:1";

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
  List<String> longRunning() {
    return List.of(IMAGE, "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done");
  }

  @Override
  List<String> crashing() {
    return List.of(IMAGE, "sh", "-c", "echo crashing; exit 1");
  }
}
