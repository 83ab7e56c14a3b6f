package io.corral.worker.exec.docker;

import java.time.Instant;

/** One line a container wrote, with the daemon's timestamp (null when timestamps were not asked for). */
public record LogEntry(Stream stream, Instant timestamp, String line) {

  /** The container stream a line came from. */
  public enum Stream { STDOUT, STDERR }
}
