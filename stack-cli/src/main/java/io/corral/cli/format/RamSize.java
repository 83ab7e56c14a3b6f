package io.corral.cli.format;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes as docker's flags take them (go-units {@code RAMInBytes}): {@code 512M}, {@code 1g},
 * {@code 100k}, {@code 1.5GiB}, {@code 4096}; every unit is binary (k = 1024).
 */
public final class RamSize {

  private static final Pattern SIZE =
      Pattern.compile("^(\\d+(?:\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");
  private static final Map<Character, Long> UNITS =
      Map.of('k', 1L << 10, 'm', 1L << 20, 'g', 1L << 30, 't', 1L << 40, 'p', 1L << 50);

  private RamSize() {}

  /**
   * Bytes in {@code text}; fractions of a byte are dropped, as go-units does.
   *
   * @throws IllegalArgumentException {@code invalid size: 'text'}
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid size: '" + text + "'");
    }
    BigDecimal number;
    try {
      number = new BigDecimal(m.group(1));
    } catch (NumberFormatException e) {
      // "1.2.3" passes the pattern, as in go-units, but is no number.
      throw new IllegalArgumentException("invalid size: '" + text + "'");
    }
    long unit = m.group(2) == null ? 1 : UNITS.get(Character.toLowerCase(m.group(2).charAt(0)));
    BigDecimal bytes = number.multiply(BigDecimal.valueOf(unit));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("invalid size: '" + text + "' (too large)");
    }
    return bytes.longValue();
  }

  /**
   * Parses a flag value, failing like pflag: {@code invalid argument "x" for "--limit-memory" flag:
   * invalid size: 'x'}.
   */
  public static long parseFlag(String flag, String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(
          "invalid argument \"" + text + "\" for \"" + flag + "\" flag: " + e.getMessage());
    }
  }
}
