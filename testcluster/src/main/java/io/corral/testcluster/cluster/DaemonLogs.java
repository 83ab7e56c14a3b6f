package io.corral.testcluster.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The daemons' logs: {@code <root>/<node>/daemon.log} while the cluster exists, and after {@code
 * down} (which deletes the work dir) kept in {@code <root>.logs/<node>.log} until the next {@code
 * up}, for a look at what went wrong. Cluster names have no dots, so the kept dir never is another
 * cluster's work dir.
 */
final class DaemonLogs {

  private static final Duration FOLLOW_POLL = Duration.ofMillis(200);

  private DaemonLogs() {}

  static Path keptDir(Path root) {
    Path r = root.toAbsolutePath();
    return r.resolveSibling(r.getFileName() + ".logs");
  }

  static Path kept(Path root, String node) {
    return keptDir(root).resolve(node + ".log");
  }

  /** Nodes whose logs are kept, in name order. */
  static List<String> keptNodes(Path root) {
    Path dir = keptDir(root);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".log"))
          .map(f -> f.substring(0, f.length() - ".log".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /**
   * Moves each node's daemon log out of the work dir (replacing logs kept of an earlier cluster);
   * returns the dir.
   */
  static Path keep(Path root, List<String> nodes) {
    Path dir = keptDir(root);
    clear(root);
    try {
      Files.createDirectories(dir);
      for (String n : nodes) {
        Path log = NodeFiles.of(root, n).log();
        if (Files.exists(log)) {
          Files.move(log, kept(root, n), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the daemon logs in " + dir, e);
    }
    return dir;
  }

  /** Deletes the logs kept of an earlier cluster in {@code root}. */
  static void clear(Path root) {
    TestCluster.deleteTree(keptDir(root));
  }

  /**
   * Prints {@code log}; with {@code follow}, then what is appended to it, until it is moved or
   * deleted (the cluster went down) or the thread is interrupted. Prints whole lines as they
   * complete.
   */
  static void print(Path log, PrintWriter out, boolean follow) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    try (SeekableByteChannel in = Files.newByteChannel(log)) {
      boolean last = !follow;
      while (true) {
        int n = in.read(buffer);
        if (n > 0) {
          for (int i = 0; i < n; i++) {
            byte b = buffer.get(i);
            line.write(b);
            if (b == '\n') {
              out.write(line.toString(StandardCharsets.UTF_8));
              line.reset();
            }
          }
          buffer.clear();
          continue;
        }
        out.flush();
        if (last) {
          break;
        }
        // Gone from its path: one more read drains what was written before it moved, then stop.
        last = !Files.exists(log) || !pause();
      }
    }
    out.write(line.toString(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Waits a poll interval; false when interrupted. */
  private static boolean pause() {
    try {
      Thread.sleep(FOLLOW_POLL.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
