package io.corral.manager.allocator;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 subnet in CIDR form ("10.0.1.0/24"), with the arithmetic IPAM needs. Addresses are
 * unsigned 32-bit values held in a long so that comparisons need no sign tricks.
 */
public record Cidr(long base, int prefix) {

  private static final Pattern FORM =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
  private static final Pattern ADDRESS =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  public Cidr {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix length must be 0..32, got " + prefix);
    }
    if ((base & ~mask(prefix)) != 0) {
      throw new IllegalArgumentException(
          format(base) + "/" + prefix + " has host bits set; use " + format(base & mask(prefix)));
    }
  }

  /**
   * Parses "a.b.c.d/n".
   *
   * @throws IllegalArgumentException saying what is wrong (not CIDR, host bits set…)
   */
  public static Cidr parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid CIDR \"" + text + "\"; use an IPv4 subnet like 10.0.1.0/24");
    }
    long base = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        throw new IllegalArgumentException(
            "invalid CIDR \"" + text + "\"; " + octet + " is not an address byte");
      }
      base = (base << 8) | octet;
    }
    int prefix = Integer.parseInt(m.group(5));
    if (prefix > 32) {
      throw new IllegalArgumentException(
          "invalid CIDR \"" + text + "\"; the prefix length must be at most 32");
    }
    return new Cidr(base, prefix);
  }

  /** Parses a plain address "a.b.c.d", or empty if it is not one. */
  public static Optional<Long> address(String text) {
    Matcher m = ADDRESS.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long a = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        return Optional.empty();
      }
      a = (a << 8) | octet;
    }
    return Optional.of(a);
  }

  /** The address part of "a.b.c.d/n" or "a.b.c.d", or empty if it is neither. */
  public static Optional<Long> hostOf(String addressWithPrefix) {
    int slash = addressWithPrefix.indexOf('/');
    return address(slash < 0 ? addressWithPrefix : addressWithPrefix.substring(0, slash));
  }

  public static String format(long address) {
    return ((address >>> 24) & 0xff)
        + "."
        + ((address >>> 16) & 0xff)
        + "."
        + ((address >>> 8) & 0xff)
        + "."
        + (address & 0xff);
  }

  static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
  }

  public long size() {
    return 1L << (32 - prefix);
  }

  /** The last address (broadcast). */
  public long last() {
    return base + size() - 1;
  }

  public boolean contains(long address) {
    return address >= base && address <= last();
  }

  /** {@code other} lies wholly inside this subnet. */
  public boolean contains(Cidr other) {
    return other.base >= base && other.last() <= last();
  }

  public boolean overlaps(Cidr other) {
    return base <= other.last() && other.base <= last();
  }

  /** An address of this subnet with its prefix, as task attachments carry it ("10.0.1.5/24"). */
  public String withPrefix(long address) {
    return format(address) + "/" + prefix;
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefix;
  }
}
