package io.corral.manager.allocator;

import io.corral.api.Cluster;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's default address pool: the CIDRs overlay subnets are carved from when a network asks
 * for none, and the size of each (docker's defaults: 10.0.0.0/8 in /24s).
 */
public record SubnetPool(List<Cidr> pools, int subnetSize) {

  public static final String DEFAULT_POOL = "10.0.0.0/8";
  public static final int DEFAULT_SUBNET_SIZE = 24;

  /** Smallest subnet docker allows: a /29 leaves 5 usable addresses besides the gateway. */
  public static final int MAX_PREFIX = 29;

  public SubnetPool {
    pools = List.copyOf(pools);
  }

  /**
   * The pool `swarm init` asked for, validated: each CIDR valid, the subnet size between the
   * largest pool's prefix and 29. Empty lists and a zero size mean docker's defaults.
   *
   * @throws IllegalArgumentException naming the flag and what is wrong
   */
  public static SubnetPool parse(List<String> cidrs, int subnetSize) {
    List<Cidr> pools;
    try {
      pools = (cidrs.isEmpty() ? List.of(DEFAULT_POOL) : cidrs).stream().map(Cidr::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--default-addr-pool: " + e.getMessage(), e);
    }
    for (int i = 0; i < pools.size(); i++) {
      for (int j = i + 1; j < pools.size(); j++) {
        if (pools.get(i).overlaps(pools.get(j))) {
          throw new IllegalArgumentException(
              "--default-addr-pool: " + pools.get(i) + " overlaps " + pools.get(j));
        }
      }
    }
    int size = subnetSize == 0 ? DEFAULT_SUBNET_SIZE : subnetSize;
    for (Cidr p : pools) {
      if (size < p.prefix() || size > MAX_PREFIX) {
        throw new IllegalArgumentException(
            "--default-addr-pool-mask-length: "
                + size
                + " must be between the pool's prefix length ("
                + p
                + ") and "
                + MAX_PREFIX);
      }
    }
    return new SubnetPool(pools, size);
  }

  /** The cluster's pool as stored (defaults where unset). */
  public static SubnetPool of(Optional<Cluster> cluster) {
    List<String> cidrs =
        cluster.<List<String>>map(Cluster::getDefaultAddressPoolList).orElse(List.of());
    int size = cluster.map(Cluster::getSubnetSize).orElse(0);
    try {
      return parse(cidrs, size);
    } catch (IllegalArgumentException e) {
      // Validated at init; should a stored value be unusable, docker's default still works.
      return parse(List.of(), 0);
    }
  }

  /** The first subnet of the pool that overlaps none of {@code used}, if any is left. */
  public Optional<Cidr> next(Collection<Cidr> used) {
    long step = 1L << (32 - subnetSize);
    for (Cidr pool : pools) {
      long a = pool.base();
      while (a + step - 1 <= pool.last()) {
        Cidr candidate = new Cidr(a, subnetSize);
        Optional<Cidr> blocking = used.stream().filter(candidate::overlaps).findFirst();
        if (blocking.isEmpty()) {
          return Optional.of(candidate);
        }
        // Skip past whatever blocks, aligned to the subnet size.
        long next = Math.max(a + step, ((blocking.get().last() + 1) + step - 1) / step * step);
        a = next;
      }
    }
    return Optional.empty();
  }
}
