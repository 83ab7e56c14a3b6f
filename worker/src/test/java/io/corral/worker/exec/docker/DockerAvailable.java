package io.corral.worker.exec.docker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

/** Test precondition: a Docker daemon on the default socket with the corral-test/busybox images. */
final class DockerAvailable {
  static final String IMAGE = "corral-test/busybox:1";

  private DockerAvailable() {}

  /** A client of the default socket, or a skipped test saying why Docker cannot be used. */
  static DockerClient clientOrSkip() {
    assumeTrue(
        Files.exists(DockerClient.DEFAULT_SOCKET),
        "no Docker daemon: "
            + DockerClient.DEFAULT_SOCKET
            + " is missing (bin/ci-docker-setup starts one, as root)");
    DockerClient client = new DockerClient(DockerClient.DEFAULT_SOCKET, Duration.ofSeconds(60));
    if (!client.ping()) {
      client.close();
      assumeTrue(false, "no Docker daemon answers on " + DockerClient.DEFAULT_SOCKET);
    }
    if (client.inspectImage(IMAGE).isEmpty()) {
      client.close();
      assumeTrue(false, "test image " + IMAGE + " is missing (bin/ci-docker-setup imports it)");
    }
    return client;
  }

  /**
   * Removes the containers of the test's nodes {@code nodeIds}, whatever their state, and closes
   * the client.
   */
  static void removeNodesContainers(DockerClient client, String... nodeIds) {
    if (client == null) {
      return; // skipped
    }
    try {
      for (String node : nodeIds) {
        for (ContainerSummary c :
            client.listContainers(Map.of(ContainerConfigs.LABEL_NODE_ID, node))) {
          client.removeContainer(c.id(), true);
        }
      }
    } finally {
      client.close();
    }
  }
}
