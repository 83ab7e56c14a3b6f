package io.corral.testcluster.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The example images `bin/testcluster up` gives every node for the process executor (format:
 * docs/process-images.md), so that a new user can run a service at once and roll versions out and
 * back: {@code example/hello:1} and {@code :2}, shell loops that log a line every few seconds and
 * say their version; {@code example/exit:1}, which exits 1 at once; and {@code
 * example/unhealthy:1}, a hello whose image health check always fails (every second, 2 retries).
 * Every one that runs exits 0 at once on SIGTERM.
 */
final class ExampleImages {

  static final String HELLO = "example/hello:1";
  static final String HELLO_2 = "example/hello:2";
  static final String EXIT = "example/exit:1";
  static final String UNHEALTHY = "example/unhealthy:1";

  private static final String HEADER =
      "# A process-executor image (docs/process-images.md), written by bin/testcluster up.\n";

  /** Logs every 5 s; `sleep & wait` lets the TERM trap run at once instead of after the sleep. */
  private static String loop(String hello, String still) {
    return "entrypoint=/bin/sh -c \"trap 'echo bye; exit 0' TERM; echo "
        + hello
        + "; while true; do sleep 5 & wait $!; echo "
        + still
        + "; done\"\n";
  }

  /** Image reference → manifest. */
  static final Map<String, String> MANIFESTS = manifests();

  private static Map<String, String> manifests() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(HELLO, HEADER + loop("hello from $$", "still running"));
    m.put(
        HELLO_2,
        HEADER
            + loop("hello from version 2, pid $$", "still running version 2")
            + "env.VERSION=2\n");
    m.put(EXIT, HEADER + "entrypoint=/bin/sh -c \"echo exiting with status 1; exit 1\"\n");
    m.put(
        UNHEALTHY,
        HEADER
            + loop("hello from an unhealthy task, pid $$", "still running, never healthy")
            + "healthcheck=echo this image is never healthy; exit 1\n"
            + "healthcheck.interval=1s\n"
            + "healthcheck.timeout=1s\n"
            + "healthcheck.retries=2\n");
    return Collections.unmodifiableMap(m);
  }

  private ExampleImages() {}

  /** Writes the example images into every node's default image root ({@code DATA-DIR/images}). */
  static void write(TestCluster cluster) {
    for (String node : cluster.nodes()) {
      writeTo(cluster.dataDir(node).resolve("images"));
    }
  }

  /** Writes the example images into the image root {@code root}. */
  static void writeTo(Path root) {
    MANIFESTS.forEach((ref, manifest) -> write(root, ref, manifest));
  }

  private static void write(Path root, String ref, String manifest) {
    int colon = ref.lastIndexOf(':');
    Path dir = root.resolve(ref.substring(0, colon)).resolve(ref.substring(colon + 1));
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("image.properties"), manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the example image " + ref + " in " + dir, e);
    }
  }
}
