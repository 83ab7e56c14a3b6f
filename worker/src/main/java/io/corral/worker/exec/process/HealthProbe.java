package io.corral.worker.exec.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one health check of a task as the task would run it (its environment, working directory and
 * user, which {@code command} already switches to), with its output in a file of the task
 * directory. A check passes when it exits 0 within the timeout; one that cannot start, exits
 * otherwise or runs too long (then it is killed with its children) fails, as in docker.
 */
final class HealthProbe {
  /** The last check's output kept for the log of an unhealthy task. */
  private static final int OUTPUT_CHARS = 4096;

  private final List<String> command;
  private final Map<String, String> env;
  private final Path workdir;
  private final Duration timeout;
  private final Path output;

  HealthProbe(
      List<String> command, Map<String, String> env, Path workdir, Duration timeout, Path output) {
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.workdir = workdir;
    this.timeout = timeout;
    this.output = output;
  }

  /** The outcome of one check: whether it passed, and why not. */
  record Result(boolean passed, String problem) {}

  /** Runs the check once, blocking until it ends or its timeout passes. */
  Result run() {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workdir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Result(false, "the health check did not start: " + e.getMessage());
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
        return new Result(false, "Health check exceeded timeout (" + timeout + ")");
      }
    } catch (InterruptedException e) {
      kill(p);
      Thread.currentThread().interrupt();
      return new Result(false, "the health check was interrupted");
    }
    int code = p.exitValue();
    return code == 0
        ? new Result(true, "")
        : new Result(false, "the health check exited with " + code + lastOutput());
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private String lastOutput() {
    try {
      String text = Files.readString(output, StandardCharsets.UTF_8).strip();
      if (text.length() > OUTPUT_CHARS) {
        text = "…" + text.substring(text.length() - OUTPUT_CHARS);
      }
      return text.isEmpty() ? "" : ": " + text;
    } catch (IOException e) {
      return "";
    }
  }
}
