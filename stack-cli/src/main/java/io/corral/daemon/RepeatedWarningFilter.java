package io.corral.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Lets a warning of a chatty library through once per quiet period and drops its repeats: while a
 * manager is down, Ratis' leader warns about the unreachable follower every few seconds for as long
 * as it stays down. Warnings count as repeats when they differ only in numbers (counters, timings);
 * errors always pass, and so does every warning that says something new. Configured in logback.xml
 * for {@code org.apache.ratis}.
 */
public final class RepeatedWarningFilter extends TurboFilter {

  /**
   * Counters and timings: digits that do not continue a word, so that ids such as {@code m3} stay
   * apart.
   */
  private static final Pattern NUMBERS = Pattern.compile("(?<![A-Za-z0-9])\\d+");

  /** Ratis' own rate limiter adds this to repeated messages. */
  private static final Pattern REPEATED =
      Pattern.compile(" ?\\(Repeated \\d+ times in the last [^)]*\\)");

  private static final int MAX_KEYS = 10_000;

  private final Map<String, Long> lastPassed = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;
  private String loggerPrefix = "org.apache.ratis";
  private long quietNanos = 5L * 60 * 1_000_000_000L;

  public RepeatedWarningFilter() {
    this(System::nanoTime);
  }

  RepeatedWarningFilter(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * Loggers whose names start with this are filtered (logback sets it from {@code <loggerPrefix>}).
   */
  public void setLoggerPrefix(String prefix) {
    this.loggerPrefix = prefix;
  }

  /**
   * How long a warning stays quiet after it was let through (logback sets it from {@code
   * <quietSeconds>}).
   */
  public void setQuietSeconds(long seconds) {
    this.quietNanos = seconds * 1_000_000_000L;
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // Called first with a null format to ask whether the level is enabled at all: that is not a
    // message.
    if (level != Level.WARN
        || format == null
        || logger == null
        || !logger.getName().startsWith(loggerPrefix)) {
      return FilterReply.NEUTRAL;
    }
    String message = MessageFormatter.arrayFormat(format, params).getMessage();
    String key =
        logger.getName()
            + "|"
            + NUMBERS.matcher(REPEATED.matcher(message).replaceAll("")).replaceAll("#")
            + (t == null ? "" : "|" + t.getClass().getName());
    long now = nanoTime.getAsLong();
    Long last = lastPassed.get(key);
    if (last != null && now - last < quietNanos) {
      return FilterReply.DENY;
    }
    if (lastPassed.size() >= MAX_KEYS) {
      lastPassed
          .clear(); // keys are per peer and message: this bounds memory if something unforeseen
      // varies
    }
    lastPassed.put(key, now);
    return FilterReply.NEUTRAL;
  }
}
