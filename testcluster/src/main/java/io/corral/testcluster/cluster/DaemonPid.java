package io.corral.testcluster.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A daemon process: its pid (also its process group and session, as it runs under {@code setsid})
 * and its start time, which tells it apart from a later process that got the same pid.
 */
public record DaemonPid(long pid, long startMillis) {

  /** The handle of a process that just started. */
  static DaemonPid of(ProcessHandle handle) {
    return new DaemonPid(
        handle.pid(), handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
  }

  /**
   * The live process, if this pid still names it (not a zombie, not a newer process with the same
   * pid).
   */
  public Optional<ProcessHandle> handle() {
    return ProcessHandle.of(pid)
        .filter(
            h ->
                startMillis == 0
                    || h.info().startInstant().map(Instant::toEpochMilli).orElse(startMillis)
                        == startMillis)
        .filter(h -> !isZombie());
  }

  public boolean isRunning() {
    return handle().isPresent();
  }

  private boolean isZombie() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The state follows the command name, which is in parentheses and may itself contain spaces.
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException | RuntimeException e) {
      return true; // gone
    }
  }

  @Override
  public String toString() {
    return pid + "@" + startMillis;
  }

  /** Parses {@link #toString()}. */
  public static DaemonPid parse(String text) {
    int at = text.indexOf('@');
    return at < 0
        ? new DaemonPid(Long.parseLong(text.strip()), 0)
        : new DaemonPid(
            Long.parseLong(text.substring(0, at)), Long.parseLong(text.substring(at + 1).strip()));
  }
}
