package io.corral.cli.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * Go's duration syntax ({@code time.ParseDuration} / {@code Duration.String}), which the docker CLI
 * uses for flags such as {@code --cert-expiry 2160h0m0s}; {@code d} (24h) is accepted as well.
 */
public final class GoDuration {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final Map<String, Long> UNITS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L, // micro sign, as Go prints it
          "\u03bcs", 1_000L, // Greek mu, which Go also accepts
          "ms", 1_000_000L,
          "s", NANOS_PER_SECOND,
          "m", 60 * NANOS_PER_SECOND,
          "h", 3_600 * NANOS_PER_SECOND,
          "d", 86_400 * NANOS_PER_SECOND);
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /**
   * Parses e.g. {@code 5s}, {@code 1h30m}, {@code 1.5h}, {@code 90d}, {@code -2m}; a bare {@code 0}
   * is zero.
   *
   * @throws IllegalArgumentException with Go's message, e.g. {@code time: invalid duration "x"}
   */
  public static Duration parse(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigInteger total = BigInteger.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      boolean before = i > start;
      String integer = s.substring(start, i);
      String fraction = "";
      if (i < s.length() && s.charAt(i) == '.') {
        int f = ++i;
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
        }
        fraction = s.substring(f, i);
      }
      if (!before && fraction.isEmpty()) {
        throw invalid(text);
      }
      int u = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      if (u == i) {
        throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
      }
      String unit = s.substring(u, i);
      Long scale = UNITS.get(unit);
      if (scale == null) {
        throw new IllegalArgumentException(
            "time: unknown unit " + quote(unit) + " in duration " + quote(text));
      }
      BigDecimal number =
          new BigDecimal(
              (integer.isEmpty() ? "0" : integer) + (fraction.isEmpty() ? "" : "." + fraction));
      // Go truncates sub-nanosecond remainders.
      total = total.add(number.multiply(BigDecimal.valueOf(scale)).toBigInteger());
      if (total.compareTo(MAX_NANOS) > 0) {
        throw invalid(text);
      }
    }
    long nanos = total.longValueExact();
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  /**
   * Parses a flag value, failing like the docker CLI does: {@code invalid argument "x" for
   * "--cert-expiry" flag: time: invalid duration "x"}; negative values are refused.
   */
  public static Duration parseFlag(String flag, String text) {
    try {
      Duration d = parse(text);
      if (d.isNegative()) {
        throw new IllegalArgumentException("must not be negative");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new CliFailure(
          "invalid argument " + quote(text) + " for " + quote(flag) + " flag: " + e.getMessage());
    }
  }

  /**
   * Go's {@code Duration.String()}: {@code 2160h0m0s}, {@code 5s}, {@code 1m30s}, {@code 1.5s},
   * {@code 100ms}.
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    boolean negative = d.isNegative();
    BigInteger total =
        BigInteger.valueOf(d.getSeconds())
            .multiply(BigInteger.valueOf(NANOS_PER_SECOND))
            .add(BigInteger.valueOf(d.getNano()))
            .abs();
    String sign = negative ? "-" : "";
    if (total.compareTo(BigInteger.valueOf(NANOS_PER_SECOND)) < 0) {
      long u = total.longValue();
      if (u < 1_000) {
        return sign + u + "ns";
      } else if (u < 1_000_000) {
        return sign + withFraction(u / 1_000, u % 1_000, 3) + "\u00b5s";
      }
      return sign + withFraction(u / 1_000_000, u % 1_000_000, 6) + "ms";
    }
    BigInteger[] split = total.divideAndRemainder(BigInteger.valueOf(NANOS_PER_SECOND));
    long seconds = split[0].longValue();
    StringBuilder out =
        new StringBuilder(withFraction(seconds % 60, split[1].longValue(), 9)).append('s');
    long minutes = seconds / 60;
    if (minutes > 0) {
      out.insert(0, (minutes % 60) + "m");
      long hours = minutes / 60;
      if (hours > 0) {
        out.insert(0, hours + "h");
      }
    }
    return sign + out;
  }

  private static String withFraction(long whole, long fraction, int digits) {
    if (fraction == 0) {
      return Long.toString(whole);
    }
    String f = String.format("%0" + digits + "d", fraction).replaceAll("0+$", "");
    return whole + "." + f;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("time: invalid duration " + quote(text));
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
