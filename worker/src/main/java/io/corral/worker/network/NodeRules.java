package io.corral.worker.network;

import java.util.List;

/**
 * The nftables file of the node namespace: overlays kept apart from each other, and masquerade of
 * each non-internal overlay's subnet toward anything but its own bridge and subnet. Matched
 * narrowly, because with br_netfilter on the bridged overlay frames pass these hooks too and must
 * not be rewritten.
 */
public final class NodeRules {

  /** The table's name in the node namespace. */
  public static final String TABLE = "corral_overlay";

  private NodeRules() {}

  /**
   * The file for the node's local networks; with none, it only removes the table. Traffic routed
   * from one overlay's bridge to another's is dropped (tasks on different networks must not reach
   * each other through the node), and an internal network's traffic leaves its bridge for nowhere.
   * Frames bridged within one overlay show the bridge as both interfaces here, so they pass.
   */
  public static String render(List<OverlayNetwork> networks) {
    StringBuilder b = new StringBuilder();
    b.append("table ip ").append(TABLE).append(" {}\n");
    b.append("delete table ip ").append(TABLE).append('\n');
    if (networks.isEmpty()) {
      return b.toString();
    }
    b.append("table ip ").append(TABLE).append(" {\n");
    b.append("  chain forward {\n    type filter hook forward priority 0; policy accept;\n");
    for (OverlayNetwork n : networks) {
      b.append("    iifname \"")
          .append(n.bridge())
          .append(n.internal() ? "\" oifname != \"" : "\" oifname \"cbr*\" oifname != \"")
          .append(n.bridge())
          .append("\" drop\n");
    }
    b.append("  }\n");
    List<OverlayNetwork> routed = networks.stream().filter(n -> !n.internal()).toList();
    if (!routed.isEmpty()) {
      b.append(
          "  chain postrouting {\n    type nat hook postrouting priority 100; policy accept;\n");
      for (OverlayNetwork n : routed) {
        b.append("    ip saddr ")
            .append(n.subnet())
            .append(" ip daddr != ")
            .append(n.subnet())
            .append(" oifname != \"")
            .append(n.bridge())
            .append("\" masquerade\n");
      }
      b.append("  }\n");
    }
    b.append("}\n");
    return b.toString();
  }
}
