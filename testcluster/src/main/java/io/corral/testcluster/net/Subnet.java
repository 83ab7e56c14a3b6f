package io.corral.testcluster.net;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An IPv4 subnet such as {@code 10.77.0.0/24}, handing out host addresses by number. */
public record Subnet(int network, int prefixLength) {

  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

  // After CIDR: static fields initialise in order.
  public static final Subnet DEFAULT = parse("10.77.0.0/24");

  public Subnet {
    if (prefixLength < 8 || prefixLength > 30) {
      throw new IllegalArgumentException(
          "prefix length /" + prefixLength + " is out of range; use /8 to /30");
    }
    network &= mask(prefixLength);
  }

  /** Parses {@code a.b.c.d/len}; host bits are ignored. */
  public static Subnet parse(String cidr) {
    Matcher m = CIDR.matcher(cidr.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not an IPv4 subnet: '" + cidr + "'; expected e.g. 10.77.0.0/24");
    }
    int addr = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        throw new IllegalArgumentException(
            "not an IPv4 subnet: '" + cidr + "' (octet " + octet + " > 255)");
      }
      addr = (addr << 8) | octet;
    }
    return new Subnet(addr, Integer.parseInt(m.group(5)));
  }

  private static int mask(int prefixLength) {
    return (int) (0xFFFF_FFFFL << (32 - prefixLength));
  }

  /** The dotted address of host number {@code n} (1 is the first usable address). */
  public String host(int n) {
    long hosts = (1L << (32 - prefixLength)) - 2;
    if (n < 1 || n > hosts) {
      throw new IllegalArgumentException(
          "host number " + n + " does not fit in " + this + " (1.." + hosts + ")");
    }
    return dotted(network + n);
  }

  private static String dotted(int a) {
    return ((a >>> 24) & 0xFF)
        + "."
        + ((a >>> 16) & 0xFF)
        + "."
        + ((a >>> 8) & 0xFF)
        + "."
        + (a & 0xFF);
  }

  @Override
  public String toString() {
    return dotted(network) + "/" + prefixLength;
  }
}
