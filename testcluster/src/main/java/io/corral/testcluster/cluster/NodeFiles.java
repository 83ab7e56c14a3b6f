package io.corral.testcluster.cluster;

import io.corral.daemon.NodeState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a node keeps its files: {@code <root>/<node>/} with {@code data/}, {@code daemon.log},
 * {@code corral.sock}.
 */
public record NodeFiles(Path dir) {

  /** sun_path holds 108 bytes including the terminating NUL. */
  private static final int MAX_SOCKET_PATH = 107;

  public static NodeFiles of(Path root, String node) {
    return new NodeFiles(root.resolve(node));
  }

  public Path dataDir() {
    return dir.resolve("data");
  }

  public Path log() {
    return dir.resolve("daemon.log");
  }

  public Path socket() {
    return dir.resolve("corral.sock");
  }

  /**
   * Where the process executor keeps its task state, {@code DATA/tasks/<task id>/} (see
   * TaskExecutor).
   */
  public Path taskStateDir() {
    return dataDir().resolve("tasks");
  }

  /**
   * The swarm node id the daemon saved in its data dir, if it has joined (or initialised) a swarm.
   */
  public Optional<String> nodeId() {
    try {
      return NodeState.load(dataDir()).map(NodeState::nodeId);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not written yet, half written by a fake daemon, or the dir is gone
    }
  }

  /**
   * Creates the node's directories; fails early if the socket path is too long for a unix socket.
   */
  public void create() {
    int length = socket().toString().getBytes(StandardCharsets.UTF_8).length;
    if (length > MAX_SOCKET_PATH) {
      throw new IllegalArgumentException(
          "socket path "
              + socket()
              + " is "
              + length
              + " bytes, longer than a unix socket allows ("
              + MAX_SOCKET_PATH
              + "); choose a shorter root dir");
    }
    try {
      Files.createDirectories(dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dataDir(), e);
    }
  }

  /** The last {@code lines} lines of the daemon's log, or a note saying why there are none. */
  public String logTail(int lines) {
    Path log = log();
    try {
      if (!Files.exists(log)) {
        return "(" + log + " does not exist)";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
