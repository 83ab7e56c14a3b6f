package io.corral.testcluster.scenario;

import io.corral.testcluster.NeedsRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The update scenarios with the process executor: each release is an image directory under every
 * node's image root (docs/process-images.md).
 */
@NeedsRoot
class ProcessUpdateScenarioTest extends UpdateScenarios {

  private static final String LOOP =
      "/bin/sh -c \"trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done\"";

  @Override
  List<String> executorOptions() {
    return List.of("--executor", "process");
  }

  @Override
  void prepareImages() {
    for (String node : cluster.nodes()) {
      writeImage(node, Release.V1, "entrypoint=" + LOOP);
      writeImage(node, Release.V2, "entrypoint=" + LOOP);
      writeImage(node, Release.EXITING, "entrypoint=/bin/sh -c \"echo exiting; exit 1\"");
      writeImage(
          node,
          Release.UNHEALTHY,
          "entrypoint="
              + LOOP
              + "\nhealthcheck=exit 1\nhealthcheck.interval=500ms\nhealthcheck.timeout=1s"
              + "\nhealthcheck.retries=1");
    }
  }

  @Override
  String image(Release release) {
    return switch (release) {
      case V1 -> "upd/app:1";
      case V2 -> "upd/app:2";
      case EXITING -> "upd/exit:1";
      case UNHEALTHY -> "upd/unhealthy:1";
    };
  }

  /** A process-executor image in the node's default image root. */
  private void writeImage(String node, Release release, String manifest) {
    String[] nameTag = image(release).split(":");
    Path dir = cluster.dataDir(node).resolve("images").resolve(nameTag[0]).resolve(nameTag[1]);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("image.properties"), manifest.replace("\\", "\\\\") + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
