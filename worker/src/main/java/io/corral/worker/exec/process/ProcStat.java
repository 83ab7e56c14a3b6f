package io.corral.worker.exec.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The parts of {@code /proc/<pid>/stat} the runtime needs: state letter, process group, session,
 * and start time (in clock ticks since boot), which tells a live process from a later one that
 * reuses its pid.
 */
record ProcStat(int pid, char state, int pgrp, int session, long startTime) {

  /** The process's stat, or empty when there is no such process. */
  static Optional<ProcStat> read(int pid) {
    try {
      return Optional.of(
          parse(
              pid,
              Files.readString(
                  Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.ISO_8859_1)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses a stat line; the command name may contain spaces and parentheses, so fields start after
   * the last ')'.
   */
  static ProcStat parse(int pid, String line) {
    String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    // f[0] is field 3 (state), so field n is f[n - 3].
    return new ProcStat(
        pid, f[0].charAt(0), Integer.parseInt(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[19]));
  }

  /**
   * Whether the process still runs (a zombie has ended; it only waits for its parent to collect
   * it).
   */
  boolean alive() {
    return state != 'Z' && state != 'X' && state != 'x';
  }

  /**
   * Whether {@code pid} is still the process that started at {@code startTime} and has not ended.
   */
  static boolean isAlive(int pid, long startTime) {
    return read(pid).filter(s -> s.startTime() == startTime && s.alive()).isPresent();
  }

  private static final String BOOT_ID = readBootId();

  /** This process's effective uid (from /proc/self/status), or -1 when it cannot be read. */
  static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return -1;
  }

  /** This boot's id, so that pids recorded before a reboot are never mistaken for live ones. */
  static String bootId() {
    return BOOT_ID;
  }

  private static String readBootId() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
