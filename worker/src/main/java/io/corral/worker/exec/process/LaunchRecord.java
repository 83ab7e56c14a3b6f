package io.corral.worker.exec.process;

import java.time.Instant;
import java.util.Properties;

/**
 * What is persisted about a started task process so that a restarted daemon can find it again: the
 * boot it was started in, the wrapper's pid and start time (its process group), the task process's
 * pid, when it started, and the signal that stops it.
 */
record LaunchRecord(
    String bootId, int pid, long pidStartTime, int childPid, Instant startedAt, String stopSignal) {

  Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("boot.id", bootId);
    p.setProperty("pid", Integer.toString(pid));
    p.setProperty("pid.start", Long.toString(pidStartTime));
    p.setProperty("child.pid", Integer.toString(childPid));
    p.setProperty("started.at", startedAt.toString());
    p.setProperty("stop.signal", stopSignal);
    return p;
  }

  /**
   * Reads the record; throws {@link IllegalArgumentException} when a field is missing or malformed.
   */
  static LaunchRecord fromProperties(Properties p) {
    try {
      return new LaunchRecord(
          p.getProperty("boot.id", ""),
          Integer.parseInt(p.getProperty("pid")),
          Long.parseLong(p.getProperty("pid.start")),
          Integer.parseInt(p.getProperty("child.pid")),
          Instant.parse(p.getProperty("started.at")),
          p.getProperty("stop.signal", "TERM"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed launch record: " + e.getMessage(), e);
    }
  }

  /** Whether the wrapper (and so the task's process group) still runs. */
  boolean alive() {
    return bootId.equals(ProcStat.bootId()) && ProcStat.isAlive(pid, pidStartTime);
  }
}
