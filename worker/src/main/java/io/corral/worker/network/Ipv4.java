package io.corral.worker.network;

/** IPv4 addresses and CIDRs as the data path needs them: parsed strictly, bytes for MACs. */
public final class Ipv4 {

  private Ipv4() {}

  /** An address with its prefix length. */
  public record Cidr(String address, int prefixLength) {}

  /** The four bytes of a dotted-quad address; throws naming it when malformed. */
  public static int[] parse(String address) {
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("\"" + address + "\" is not an IPv4 address");
    }
    int[] bytes = new int[4];
    for (int i = 0; i < 4; i++) {
      try {
        bytes[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + address + "\" is not an IPv4 address");
      }
      if (bytes[i] < 0 || bytes[i] > 255 || parts[i].length() > 3) {
        throw new IllegalArgumentException("\"" + address + "\" is not an IPv4 address");
      }
    }
    return bytes;
  }

  /** Parses {@code 10.0.1.5/24}; throws naming it when malformed. */
  public static Cidr parseCidr(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("\"" + cidr + "\" has no prefix length (e.g. /24)");
    }
    String addr = cidr.substring(0, slash);
    parse(addr);
    int len;
    try {
      len = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + cidr + "\" has a malformed prefix length");
    }
    if (len < 0 || len > 32) {
      throw new IllegalArgumentException("\"" + cidr + "\": prefix length must be 0..32");
    }
    return new Cidr(addr, len);
  }

  /** The address of {@code 10.0.1.5/24} (or of a bare address). */
  public static String host(String addressOrCidr) {
    int slash = addressOrCidr.indexOf('/');
    return slash < 0 ? addressOrCidr : addressOrCidr.substring(0, slash);
  }

  /** The MAC of a task on an overlay: {@code 02:42:} and the address's bytes (docker's rule). */
  public static String macOf(String address) {
    int[] b = parse(host(address));
    return String.format("02:42:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3]);
  }
}
