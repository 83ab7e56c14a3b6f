package io.corral.testcluster.scenario;

import io.corral.testcluster.NeedsRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The service scenarios with the process executor: images are directories under each node's image
 * root.
 */
@NeedsRoot
class ProcessServiceScenarioTest extends ServiceScenarios {

  @Override
  List<String> executorOptions() {
    return List.of("--executor", "process");
  }

  @Override
  void prepareImages() {
    for (String node : cluster.nodes()) {
      writeImage(
          node, "app", "1", "/bin/sh -c \"trap 'exit 0' TERM; while true; do sleep 1; done\"");
      writeImage(node, "crash", "1", "/bin/sh -c \"echo crashing; exit 1\"");
    }
  }

  @Override
  List<String> longRunning() {
    return List.of("app:1");
  }

  @Override
  List<String> crashing() {
    return List.of("crash:1");
  }

  /** A process-executor image (docs/process-images.md) in the node's default image root. */
  private void writeImage(String node, String name, String tag, String entrypoint) {
    Path dir = cluster.dataDir(node).resolve("images").resolve(name).resolve(tag);
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("image.properties"), "entrypoint=" + entrypoint.replace("\\", "\\\\") + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
