package io.corral.manager.allocator;

import io.corral.api.IPAMConfig;
import io.corral.api.Network;
import java.util.Optional;

/**
 * The allocated address plan of one network, read from {@code Network.ipam}: its subnet, the range
 * task and service addresses come from, the gateway, and the last address handed out. Allocation is
 * serial: the next free address after the last one given, wrapping at the end of the range, so that
 * an address freed by a task is handed out again as late as possible. The last address is kept in
 * the network object itself ({@link #LAST_ADDRESS}), so a new leader continues where the old one
 * stopped.
 */
public record NetworkIpam(Cidr subnet, Cidr range, long gateway, long last) {

  /** Option of {@code Network.ipam.driver} holding the last address handed out. */
  public static final String LAST_ADDRESS = "corral.ipam.last-address";

  /** The network's plan, or empty while the network has no allocated subnet. */
  public static Optional<NetworkIpam> of(Network n) {
    if (n.getIpam().getConfigsCount() == 0 || n.getIpam().getConfigs(0).getSubnet().isEmpty()) {
      return Optional.empty();
    }
    IPAMConfig c = n.getIpam().getConfigs(0);
    try {
      Cidr subnet = Cidr.parse(c.getSubnet());
      Cidr range = c.getRange().isEmpty() ? subnet : Cidr.parse(c.getRange());
      long gateway = Cidr.address(c.getGateway()).orElse(subnet.base() + 1);
      String lastText = n.getIpam().getDriver().getOptionsOrDefault(LAST_ADDRESS, "");
      long last = Cidr.address(lastText).filter(range::contains).orElse(gateway);
      return Optional.of(new NetworkIpam(subnet, range, gateway, last));
    } catch (IllegalArgumentException e) {
      // Only the allocator writes these fields, from validated input; a broken one allocates
      // nothing.
      return Optional.empty();
    }
  }

  /** Whether {@code a} may be handed out: in the range, not the network, broadcast or gateway. */
  public boolean assignable(long a) {
    return range.contains(a) && a != subnet.base() && a != subnet.last() && a != gateway;
  }

  /** The network with {@code last} recorded as the last address handed out. */
  public static Network withLast(Network n, long last) {
    Network.Builder b = n.toBuilder();
    b.getIpamBuilder().getDriverBuilder().putOptions(LAST_ADDRESS, Cidr.format(last));
    return b.build();
  }
}
