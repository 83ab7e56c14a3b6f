package io.corral.worker.network;

import io.corral.worker.agent.TaskBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the network tools ({@code ip}, {@code bridge}, {@code nft}, {@code conntrack}, {@code
 * sysctl}) with an optional prefix: none in production (the daemon runs in its node's namespace),
 * {@code ip netns exec NODE} in tests that drive several "nodes" from one JVM. A failing command
 * throws with its error output, which is what a rejected task is told.
 */
public final class Commands {

  /** Exit status and output of a command that was run. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private static final long TIMEOUT_SECONDS = 30;

  private final List<String> prefix;

  private Commands(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  /** Runs the tools in the daemon's own namespace. */
  public static Commands local() {
    return new Commands(List.of());
  }

  /** Runs every tool through {@code prefix} (e.g. {@code ip netns exec node1}). */
  public static Commands prefixed(List<String> prefix) {
    return new Commands(prefix);
  }

  /** The same runner, with the tools run inside the named namespace ({@code ip netns exec}). */
  public Commands inNamespace(String netns) {
    List<String> p = new ArrayList<>(prefix);
    p.addAll(List.of("ip", "netns", "exec", netns));
    return new Commands(p);
  }

  /** The prefix this runner puts before every command. */
  public List<String> prefix() {
    return prefix;
  }

  /** Runs the command; throws with its error output when it fails. */
  public String run(String... argv) throws TaskBackend.TaskException {
    return run(List.of(argv), null);
  }

  /** Runs the command with {@code stdin} as its input; throws with its error output on failure. */
  public String run(List<String> argv, String stdin) throws TaskBackend.TaskException {
    Result r = attempt(argv, stdin);
    if (!r.ok()) {
      String err = r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip();
      throw new TaskBackend.TaskException(
          String.join(" ", argv) + " failed (exit " + r.exitCode() + "): " + err);
    }
    return r.stdout();
  }

  /** Runs the command and returns how it went, whatever it was. */
  public Result attempt(String... argv) {
    return attempt(List.of(argv), null);
  }

  /** Runs the command with {@code stdin} (or none) and returns how it went. */
  public Result attempt(List<String> argv, String stdin) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Result(127, "", cmd.get(0) + ": " + e.getMessage() + " (is it installed?)");
    }
    // Both streams are drained at once so that neither fills its pipe and blocks the tool.
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try {
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(124, "", "timed out after " + TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      p.destroyForcibly();
      return new Result(1, "", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return new Result(130, "", "interrupted");
    }
  }

  /** Reads the stream to its end on a thread of its own (a shared pool could starve the pair). */
  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                text.complete("");
              }
            },
            "corral-net-cmd");
    t.setDaemon(true);
    t.start();
    return text;
  }
}
