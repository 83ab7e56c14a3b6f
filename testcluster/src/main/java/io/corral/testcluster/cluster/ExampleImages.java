package io.corral.testcluster.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The example image `bin/testcluster up` gives every node, so that a new user can run a service at
 * once with the process executor: {@code example/hello:1}, a shell loop that logs a line every few
 * seconds and exits 0 on SIGTERM (format: docs/process-images.md).
 */
final class ExampleImages {

  static final String HELLO = "example/hello:1";
  private static final String HELLO_MANIFEST =
      """
      # A process-executor image (docs/process-images.md), written by bin/testcluster up.
      entrypoint=/bin/sh -c "trap 'echo bye; exit 0' TERM; echo hello from $$; while true; do sleep 5 & wait $!; echo still running; done"
      """;

  private ExampleImages() {}

  /** Writes the example images into every node's default image root ({@code DATA-DIR/images}). */
  static void write(TestCluster cluster) {
    for (String node : cluster.nodes()) {
      Path dir =
          cluster.dataDir(node).resolve("images").resolve("example").resolve("hello").resolve("1");
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("image.properties"), HELLO_MANIFEST);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot write the example image for " + node + " in " + dir, e);
      }
    }
  }
}
