package io.corral.manager.controlapi;

import io.corral.api.Driver;
import io.corral.api.IPAMConfig;
import io.corral.api.NetworkSpec;
import io.corral.manager.allocator.Cidr;
import io.corral.manager.allocator.NetworkAllocator;
import io.corral.manager.allocator.SubnetPool;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a network spec before anything is written, with docker's rules and words where docker has
 * them: a valid name, the overlay driver, one IPv4 pool whose subnet, gateway and range fit
 * together. Messages name the `network create` flag at fault. Overlaps with other networks need the
 * store and are checked by {@link NetworkApi}.
 */
final class NetworkSpecValidator {

  /** Docker's rule for network names. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  /** Largest pool docker accepts for one network. */
  static final int MIN_PREFIX = 8;

  private NetworkSpecValidator() {}

  /** The spec as it will be stored (driver "overlay" filled in), or INVALID_ARGUMENT. */
  static NetworkSpec validate(NetworkSpec spec) {
    String name = spec.getAnnotations().getName();
    if (name.isEmpty()) {
      throw invalid("a network needs a name; give it as the last argument of `network create`");
    }
    if (!NAME.matcher(name).matches()) {
      throw invalid(
          "invalid network name \""
              + name
              + "\": use letters, digits, '_', '.' and '-', starting with a letter or digit");
    }
    String driver = spec.getDriverConfig().getName();
    if (!driver.isEmpty() && !driver.equals(NetworkAllocator.OVERLAY)) {
      throw invalid(
          "unknown driver \"" + driver + "\": swarm mode networks use the overlay driver");
    }
    if (spec.getIpv6Enabled()) {
      throw invalid("--ipv6: IPv6 overlay networks are not supported; leave --ipv6 off");
    }
    NetworkSpec.Builder b = spec.toBuilder();
    b.setDriverConfig(
        Driver.newBuilder(spec.getDriverConfig()).setName(NetworkAllocator.OVERLAY).build());
    int configs = spec.getIpam().getConfigsCount();
    if (configs > 1) {
      throw invalid("--subnet: give at most one subnet (got " + configs + ")");
    }
    if (configs == 1) {
      checkIpam(spec.getIpam().getConfigs(0));
      b.getIpamBuilder().getConfigsBuilder(0).setFamily(IPAMConfig.AddressFamily.IPV4);
    }
    return b.build();
  }

  private static void checkIpam(IPAMConfig c) {
    if (c.getFamily() == IPAMConfig.AddressFamily.IPV6) {
      throw invalid("--subnet: IPv6 subnets are not supported");
    }
    if (c.getSubnet().isEmpty()) {
      if (!c.getGateway().isEmpty()) {
        throw invalid("--gateway: needs --subnet (a gateway is an address of the subnet)");
      }
      if (!c.getRange().isEmpty()) {
        throw invalid("--ip-range: needs --subnet (the range is part of the subnet)");
      }
      return;
    }
    Cidr subnet = cidr("--subnet", c.getSubnet());
    if (subnet.prefix() < MIN_PREFIX || subnet.prefix() > SubnetPool.MAX_PREFIX) {
      throw invalid(
          "--subnet: "
              + subnet
              + " must have a prefix length from /"
              + MIN_PREFIX
              + " to /"
              + SubnetPool.MAX_PREFIX);
    }
    if (!c.getGateway().isEmpty()) {
      Optional<Long> gw = Cidr.address(c.getGateway());
      if (gw.isEmpty()) {
        throw invalid("--gateway: invalid address \"" + c.getGateway() + "\"; use e.g. 10.0.1.1");
      }
      if (!subnet.contains(gw.get())) {
        throw invalid("--gateway: " + c.getGateway() + " is not in subnet " + subnet);
      }
      if (gw.get() == subnet.base() || gw.get() == subnet.last()) {
        throw invalid(
            "--gateway: "
                + c.getGateway()
                + " is the "
                + (gw.get() == subnet.base() ? "network" : "broadcast")
                + " address of "
                + subnet
                + "; use a host address");
      }
    }
    if (!c.getRange().isEmpty()) {
      Cidr range = cidr("--ip-range", c.getRange());
      if (!subnet.contains(range)) {
        throw invalid("--ip-range: " + range + " is not inside subnet " + subnet);
      }
    }
  }

  private static Cidr cidr(String flag, String text) {
    try {
      return Cidr.parse(text);
    } catch (IllegalArgumentException e) {
      throw invalid(flag + ": " + e.getMessage());
    }
  }

  static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
