package io.corral.cli.format;

import java.time.Duration;

/**
 * Docker's approximate durations (go-units {@code HumanDuration}): "5 seconds", "About a minute",
 * "3 hours".
 */
public final class HumanDuration {

  private HumanDuration() {}

  /**
   * {@code d} in words, as go-units words it (capitalised as there: "Less than a second", "About an
   * hour").
   */
  public static String of(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 1) {
      return "Less than a second";
    } else if (seconds == 1) {
      return "1 second";
    } else if (seconds < 60) {
      return seconds + " seconds";
    }
    long minutes = d.toMinutes();
    if (minutes == 1) {
      return "About a minute";
    } else if (minutes < 60) {
      return minutes + " minutes";
    }
    // Go rounds hours to the nearest: int(d.Hours() + 0.5).
    long hours = (long) (d.toMillis() / 3_600_000.0 + 0.5);
    if (hours == 1) {
      return "About an hour";
    } else if (hours < 48) {
      return hours + " hours";
    } else if (hours < 24 * 7 * 2) {
      return hours / 24 + " days";
    } else if (hours < 24 * 30 * 2) {
      return hours / 24 / 7 + " weeks";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 / 30 + " months";
    }
    return d.toHours() / 24 / 365 + " years";
  }

  /**
   * Docker's "… ago" column text: {@code 5 seconds ago}, {@code about a minute ago} (lower-cased,
   * as docker does).
   */
  public static String ago(Duration d) {
    return of(d.isNegative() ? Duration.ZERO : d).toLowerCase() + " ago";
  }
}
