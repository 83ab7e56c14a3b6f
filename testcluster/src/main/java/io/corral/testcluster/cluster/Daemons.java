package io.corral.testcluster.cluster;

import io.corral.testcluster.net.CommandFailedException;
import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Namespaces;
import io.corral.testcluster.net.Shell;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Starts, probes and kills node daemons inside their namespaces. */
final class Daemons {

  static final int API_PORT = 2377;
  private static final int LOG_TAIL = 40;
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

  private Daemons() {}

  /** The daemon's command line, as the Corral CLI defines it. */
  static List<String> daemonArgs(ClusterNode node, NodeFiles files, List<String> options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "daemon",
                "--data-dir",
                files.dataDir().toString(),
                "--listen-addr",
                node.address() + ":" + API_PORT,
                "--advertise-addr",
                node.address(),
                // Every namespace shares the host's hostname; without this all nodes would report
                // the same one.
                "--hostname",
                node.name(),
                "--socket",
                files.socket().toString()));
    args.addAll(options);
    return args;
  }

  /**
   * Starts the daemon in {@code namespace} under {@code setsid}, so that it has its own process
   * group (kill takes it whole) and outlives the JVM that started it; output is appended to the
   * node's log.
   */
  static DaemonPid start(
      String namespace,
      CorralCommand corral,
      ClusterNode node,
      NodeFiles files,
      List<String> options) {
    List<String> setsid = new ArrayList<>(List.of("setsid"));
    setsid.addAll(corral.with(daemonArgs(node, files, options)));
    List<String> command = Namespaces.inside(namespace, setsid);
    try {
      Files.writeString(
          files.log(),
          "=== testcluster: "
              + Instant.now()
              + " starting "
              + node.name()
              + ": "
              + String.join(" ", command)
              + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      // ip netns exec and setsid both exec in place (setsid forks only for a group leader, which a
      // fresh
      // child is not), so this pid ends up being the daemon's.
      Process p =
          new ProcessBuilder(command)
              .redirectInput(new File("/dev/null"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(files.log().toFile()))
              .start();
      return DaemonPid.of(p.toHandle());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the daemon of " + node.name() + ": " + String.join(" ", command), e);
    }
  }

  /**
   * Waits until {@code corral --socket S info} run inside the namespace exits 0. Fails at once if
   * the daemon exits, and after {@code timeout} otherwise, quoting the end of its log.
   */
  static void awaitReady(
      String namespace,
      CorralCommand corral,
      ClusterNode node,
      NodeFiles files,
      DaemonPid daemon,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "the socket " + files.socket() + " never appeared";
    while (true) {
      if (!daemon.isRunning()) {
        throw new IllegalStateException(
            "the daemon of "
                + node.name()
                + " (pid "
                + daemon.pid()
                + ") exited before it was ready; last lines of "
                + files.log()
                + ":\n"
                + files.logTail(LOG_TAIL));
      }
      // Only pay for a CLI start once the daemon has bound its socket (a stale one after kill -9
      // just fails).
      if (Files.exists(files.socket())) {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        try {
          CommandResult r =
              Shell.run(
                  Namespaces.inside(namespace, corral.client(files.socket(), List.of("info"))),
                  min(PROBE_TIMEOUT, Duration.ofMillis(left)));
          if (r.ok()) {
            return;
          }
          last =
              "`info` exited "
                  + r.exitCode()
                  + ": "
                  + (r.stderr().strip() + " " + r.stdout().strip()).strip();
        } catch (CommandFailedException e) {
          last = e.getMessage();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the daemon of "
                + node.name()
                + " is not ready after "
                + timeout.toSeconds()
                + " s ("
                + last
                + "); last lines of "
                + files.log()
                + ":\n"
                + files.logTail(LOG_TAIL));
      }
      pause();
    }
  }

  /**
   * kill -9 of the daemon's process group (and of the daemon itself, should it not lead one yet);
   * waits for it.
   */
  static void kill(DaemonPid daemon, Duration timeout) {
    if (!daemon.isRunning()) {
      return;
    }
    // bash's builtin kill, because Java cannot signal a process group and procps may be missing.
    Shell.run(
        List.of("bash", "-c", "kill -KILL -- -" + daemon.pid() + " 2>/dev/null"), PROBE_TIMEOUT);
    daemon.handle().ifPresent(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (daemon.isRunning()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "process "
                + daemon.pid()
                + " survived kill -9 for "
                + timeout.toSeconds()
                + " s; is it stuck in the kernel (state D in ps)?");
      }
      pause();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a daemon", e);
    }
  }
}
