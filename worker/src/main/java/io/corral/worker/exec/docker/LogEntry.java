package io.corral.worker.exec.docker;

import java.time.Instant;

/**
 * One line a container wrote, without its newline; {@code newline} is false only for a last line
 * the container left unterminated. The timestamp is the daemon's (null when timestamps were not
 * asked for).
 */
public record LogEntry(Stream stream, Instant timestamp, String line, boolean newline) {

  /** A line that ended with a newline. */
  public LogEntry(Stream stream, Instant timestamp, String line) {
    this(stream, timestamp, line, true);
  }

  /** The container stream a line came from. */
  public enum Stream {
    STDOUT,
    STDERR
  }
}
