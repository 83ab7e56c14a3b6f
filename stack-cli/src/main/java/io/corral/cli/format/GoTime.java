package io.corral.cli.format;

import com.google.protobuf.Timestamp;
import io.corral.common.ProtoTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps printed the way Go prints {@code time.Time} in docker's output. */
public final class GoTime {

  private static final DateTimeFormatter RFC3339_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STRING_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** Go's zero time, which docker shows for an unset timestamp. */
  private static final Instant GO_ZERO = Instant.parse("0001-01-01T00:00:00Z");

  private GoTime() {}

  /** {@code time.RFC3339Nano} in UTC, as in JSON: {@code 2016-06-16T22:52:44.9910662Z}. */
  public static String rfc3339Nano(Timestamp t) {
    Instant i = instant(t);
    return RFC3339_SECONDS.format(i) + fraction(i.getNano()) + "Z";
  }

  /** {@code time.Time.String()} in UTC: {@code 2016-06-16 22:52:44.9910662 +0000 UTC}. */
  public static String string(Timestamp t) {
    Instant i = instant(t);
    return STRING_SECONDS.format(i) + fraction(i.getNano()) + " +0000 UTC";
  }

  private static Instant instant(Timestamp t) {
    if (t.getSeconds() == 0 && t.getNanos() == 0) {
      return GO_ZERO;
    }
    return ProtoTime.instant(t);
  }

  /** Go's ".999999999" layout: trailing zeros dropped, nothing at all for whole seconds. */
  private static String fraction(int nanos) {
    if (nanos == 0) {
      return "";
    }
    return "." + String.format("%09d", nanos).replaceAll("0+$", "");
  }
}
