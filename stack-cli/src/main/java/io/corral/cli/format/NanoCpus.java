package io.corral.cli.format;

import java.math.BigDecimal;

/**
 * CPU amounts as docker's {@code --limit-cpu 1.5} takes them: a decimal number of CPUs, stored in
 * 1e-9 CPU units.
 */
public final class NanoCpus {

  private static final BigDecimal NANOS_PER_CPU = BigDecimal.valueOf(1_000_000_000L);

  private NanoCpus() {}

  /**
   * Nano CPUs in {@code text} ({@code 0.5} → 500000000).
   *
   * @throws IllegalArgumentException docker's messages: not a number, or "value is too precise"
   *     below 1e-9
   */
  public static long parse(String text) {
    BigDecimal cpus;
    try {
      cpus = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("failed to parse " + text + " as a rational number");
    }
    BigDecimal nanos = cpus.multiply(NANOS_PER_CPU);
    if (nanos.signum() < 0) {
      throw new IllegalArgumentException("CPU amount must not be negative");
    }
    try {
      return nanos.toBigIntegerExact().longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          nanos.stripTrailingZeros().scale() > 0 ? "value is too precise" : "value is too large");
    }
  }

  /**
   * Parses a flag value, failing like pflag: {@code invalid argument "x" for "--limit-cpu" flag:
   * …}.
   */
  public static long parseFlag(String flag, String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(
          "invalid argument \"" + text + "\" for \"" + flag + "\" flag: " + e.getMessage());
    }
  }

  /**
   * The number of CPUs as Go prints {@code float64(nanos)/1e9} with {@code %v}: {@code 0.5}, {@code
   * 2}.
   */
  public static String format(long nanos) {
    return BigDecimal.valueOf(nanos).divide(NANOS_PER_CPU).stripTrailingZeros().toPlainString();
  }
}
