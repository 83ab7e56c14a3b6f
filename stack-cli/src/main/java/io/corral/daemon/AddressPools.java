package io.corral.daemon;

import io.grpc.Status;
import java.util.List;

/**
 * The default address pools {@code swarm init} takes ({@code --default-addr-pool CIDR…} and {@code
 * --default-addr-pool-mask-length N}), checked as swarmkit checks them before a cluster exists.
 */
final class AddressPools {

  /** Docker's defaults: subnets of 10.0.0.0/8, each a /24. */
  static final String DEFAULT_POOL = "10.0.0.0/8";

  static final int DEFAULT_SUBNET_SIZE = 24;

  /** The longest prefix that still leaves room for a gateway, a VIP and some tasks. */
  static final int MAX_SUBNET_SIZE = 29;

  private AddressPools() {}

  /**
   * Refuses pools that are not IPv4 CIDRs, that overlap each other, or a subnet size that does not
   * fit in every pool; the error names the flag.
   *
   * @param subnetSize 0 for the default
   */
  static void validate(List<String> pools, int subnetSize) {
    int size = subnetSize == 0 ? DEFAULT_SUBNET_SIZE : subnetSize;
    if (size < 1 || size > MAX_SUBNET_SIZE) {
      throw invalid(
          "--default-addr-pool-mask-length: "
              + subnetSize
              + " is out of range: give a prefix length from 1 to "
              + MAX_SUBNET_SIZE);
    }
    long[][] parsed = new long[pools.size()][];
    for (int i = 0; i < pools.size(); i++) {
      String pool = pools.get(i);
      parsed[i] = parse(pool);
      if (parsed[i][1] > size) {
        throw invalid(
            "--default-addr-pool: "
                + pool
                + " is smaller than a subnet of --default-addr-pool-mask-length "
                + size
                + ": give a shorter prefix or a longer mask length");
      }
      for (int j = 0; j < i; j++) {
        if (overlap(parsed[i], parsed[j])) {
          throw invalid(
              "--default-addr-pool: "
                  + pool
                  + " overlaps "
                  + pools.get(j)
                  + ": give disjoint pools");
        }
      }
    }
  }

  /** {network address, prefix length} of an IPv4 CIDR whose host bits are zero. */
  private static long[] parse(String cidr) {
    String why = "--default-addr-pool: " + cidr + " is not an IPv4 CIDR such as 10.0.0.0/8";
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw invalid(why);
    }
    String[] parts = cidr.substring(0, slash).split("\\.", -1);
    String length = cidr.substring(slash + 1);
    if (parts.length != 4 || !length.matches("\\d{1,2}") || Integer.parseInt(length) > 32) {
      throw invalid(why);
    }
    long address = 0;
    for (String p : parts) {
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
        throw invalid(why);
      }
      address = address << 8 | Integer.parseInt(p);
    }
    int prefix = Integer.parseInt(length);
    long hostMask = prefix == 0 ? 0xffffffffL : (1L << (32 - prefix)) - 1;
    if ((address & hostMask) != 0) {
      throw invalid(
          "--default-addr-pool: "
              + cidr
              + " has host bits set: give its network address (e.g. "
              + dotted(address & ~hostMask & 0xffffffffL)
              + "/"
              + prefix
              + ")");
    }
    return new long[] {address, prefix};
  }

  private static boolean overlap(long[] a, long[] b) {
    long shorter = Math.min(a[1], b[1]);
    long mask = shorter == 0 ? 0 : (0xffffffffL << (32 - shorter)) & 0xffffffffL;
    return (a[0] & mask) == (b[0] & mask);
  }

  private static String dotted(long a) {
    return (a >> 24 & 255) + "." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
  }

  private static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
