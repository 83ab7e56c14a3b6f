package io.corral.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Sizes in binary units as docker prints them (go-units {@code BytesSize}: {@code 7.704GiB}, {@code
 * 512MiB}).
 */
public final class ByteSize {

  private static final String[] UNITS = {
    "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"
  };

  private ByteSize() {}

  /**
   * {@code fmt.Sprintf("%.4g%s", size, unit)} with the largest unit that keeps the number at least
   * 1.
   */
  public static String binary(long bytes) {
    double size = bytes;
    int unit = 0;
    while (size >= 1024 && unit < UNITS.length - 1) {
      size /= 1024;
      unit++;
    }
    // %.4g: four significant digits, trailing zeros removed (the value is below 1024, so never
    // exponent form).
    BigDecimal rounded = new BigDecimal(size).round(new MathContext(4, RoundingMode.HALF_EVEN));
    String number = rounded.signum() == 0 ? "0" : rounded.stripTrailingZeros().toPlainString();
    return number + UNITS[unit];
  }
}
