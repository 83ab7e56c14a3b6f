package io.corral.worker.network;

import io.corral.api.Network;
import io.corral.worker.agent.TaskBackend;

/**
 * What the data path needs of an allocated overlay {@link Network}: its VNI, subnet and gateway,
 * whether it is internal, and the names of its devices on a node (derived from the VNI, so that a
 * restarted daemon finds them again).
 *
 * @param subnet CIDR, e.g. {@code 10.0.1.0/24}
 * @param gateway the gateway address without prefix, e.g. {@code 10.0.1.1}
 */
public record OverlayNetwork(
    String id, String name, int vni, String subnet, String gateway, boolean internal) {

  /** The driver option holding the VNI, as docker names it. */
  public static final String VNI_OPTION = "com.docker.network.driver.overlay.vxlanid_list";

  /** Reads the allocated network; throws naming the field that is missing or malformed. */
  public static OverlayNetwork of(Network n) throws TaskBackend.TaskException {
    String label = "network \"" + n.getSpec().getAnnotations().getName() + "\" (" + n.getId() + ")";
    String vniText = n.getDriverState().getOptionsOrDefault(VNI_OPTION, "");
    int vni;
    try {
      vni = Integer.parseInt(vniText.strip());
    } catch (NumberFormatException e) {
      throw new TaskBackend.TaskException(
          label + ": driver_state option " + VNI_OPTION + " is \"" + vniText + "\", not a VNI");
    }
    if (vni < 1 || vni > 0xFFFFFF) {
      throw new TaskBackend.TaskException(label + ": VNI " + vni + " is outside 1..16777215");
    }
    if (n.getIpam().getConfigsCount() == 0) {
      throw new TaskBackend.TaskException(label + ": has no allocated subnet (ipam.configs)");
    }
    var c = n.getIpam().getConfigs(0);
    try {
      Ipv4.parseCidr(c.getSubnet());
      Ipv4.parse(c.getGateway());
    } catch (IllegalArgumentException e) {
      throw new TaskBackend.TaskException(label + ": ipam.configs[0]: " + e.getMessage());
    }
    return new OverlayNetwork(
        n.getId(),
        n.getSpec().getAnnotations().getName(),
        vni,
        c.getSubnet(),
        c.getGateway(),
        n.getSpec().getInternal());
  }

  /** The prefix length of the subnet. */
  public int prefixLength() {
    return Ipv4.parseCidr(subnet).prefixLength();
  }

  /** The gateway with the subnet's prefix, as the bridge holds it. */
  public String gatewayCidr() {
    return gateway + "/" + prefixLength();
  }

  /** The network's bridge on every node. */
  public String bridge() {
    return bridgeName(vni);
  }

  /** The network's VXLAN device on every node. */
  public String vxlan() {
    return "cvx" + vni;
  }

  /** Bridge names (at most 11 characters: "cbr" + up to 8 digits). */
  public static String bridgeName(int vni) {
    return "cbr" + vni;
  }
}
