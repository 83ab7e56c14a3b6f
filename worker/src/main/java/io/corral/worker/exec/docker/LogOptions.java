package io.corral.worker.exec.docker;

import java.time.Instant;

/**
 * Which log lines to read: {@code tail} is the number of last lines (negative = all), {@code since}
 * the earliest time (null = from the start); {@code follow} keeps the stream open until the
 * container stops.
 */
public record LogOptions(boolean follow, boolean timestamps, int tail, Instant since) {

  public static LogOptions all() {
    return new LogOptions(false, true, -1, null);
  }
}
