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
 * example/unhealthy:1}, a hello whose image health check always fails (every second, 2 retries);
 * {@code example/web:1}, an HTTP server on port 80 (busybox httpd) that answers {@code GET /} with
 * the task's own address, for tasks on overlay networks (see {@link #WEB}). Every one that runs
 * exits 0 at once on SIGTERM.
 */
public final class ExampleImages {

  static final String HELLO = "example/hello:1";
  static final String HELLO_2 = "example/hello:2";
  static final String EXIT = "example/exit:1";
  static final String UNHEALTHY = "example/unhealthy:1";

  /**
   * Serves {@code GET /} on port 80 with the first global IPv4 address of its network namespace
   * (e.g. {@code 10.0.1.5}), so a client can tell which task answered; it waits for that address,
   * since a task without a network of its own would serve the node's. Needs busybox on the node.
   */
  public static final String WEB = "example/web:1";

  /**
   * The web server's script, for both executors: each task gets its own document root (tasks of the
   * process executor share the node's /tmp). Single quotes only: it goes inside a double-quoted
   * shell word of a manifest.
   */
  public static final String WEB_SCRIPT =
      "d=$(busybox mktemp -d); trap 'kill $p; rm -rf $d; exit 0' TERM; a=; "
          + "while [ -z $a ]; do a=$(busybox ip -4 -o addr show scope global"
          + " | busybox awk '{print $4}' | busybox head -n 1); [ -z $a ] && busybox sleep 0.2; done; "
          + "echo ${a%/*} >$d/index.html; echo serving ${a%/*} on port 80; "
          + "busybox httpd -f -p 80 -h $d & p=$!; wait $p";

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
    m.put(WEB, HEADER + "entrypoint=/bin/sh -c \"" + WEB_SCRIPT + "\"\n");
    return Collections.unmodifiableMap(m);
  }

  private ExampleImages() {}

  /** Writes the example images into every node's default image root ({@code DATA-DIR/images}). */
  public static void write(TestCluster cluster) {
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
