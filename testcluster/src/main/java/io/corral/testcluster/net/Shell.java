package io.corral.testcluster.net;

import io.corral.common.NamedThreads;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion and captures its output; the one place that starts short-lived
 * processes.
 */
public final class Shell {

  /**
   * How long the output readers may lag behind the process's exit (a background child can hold the
   * pipes).
   */
  private static final Duration DRAIN = Duration.ofSeconds(2);

  private Shell() {}

  /**
   * Runs {@code command} and returns its result whatever the exit code; a timeout kills it and
   * throws.
   */
  public static CommandResult run(List<String> command, Duration timeout) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectInput(new File("/dev/null")).start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start "
              + String.join(" ", command)
              + " (is "
              + command.get(0)
              + " installed and on the PATH?)",
          e);
    }
    Drain out = Drain.start(p.getInputStream(), "stdout of " + command.get(0));
    Drain err = Drain.start(p.getErrorStream(), "stderr of " + command.get(0));
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new CommandFailedException(
            "timed out after " + timeout.toSeconds() + " s",
            new CommandResult(command, -1, out.text(), err.text()));
      }
      out.thread.join(DRAIN.toMillis());
      err.thread.join(DRAIN.toMillis());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
    return new CommandResult(command, p.exitValue(), out.text(), err.text());
  }

  /** Runs {@code command} and throws {@link CommandFailedException} unless it exits 0. */
  public static CommandResult check(List<String> command, Duration timeout) {
    return run(command, timeout).orThrow();
  }

  /**
   * Copies a stream into memory on its own thread so that neither pipe can fill up and block the
   * process.
   */
  private record Drain(ByteArrayOutputStream buffer, Thread thread) {

    static Drain start(InputStream in, String name) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      Thread t =
          NamedThreads.daemonThread(
              () -> {
                byte[] chunk = new byte[8192];
                try (in) {
                  for (int n; (n = in.read(chunk)) >= 0; ) {
                    synchronized (buffer) {
                      buffer.write(chunk, 0, n);
                    }
                  }
                } catch (IOException e) {
                  // The process was killed or closed the pipe; what was read so far is the output.
                }
              },
              name);
      t.start();
      return new Drain(buffer, t);
    }

    String text() {
      synchronized (buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
