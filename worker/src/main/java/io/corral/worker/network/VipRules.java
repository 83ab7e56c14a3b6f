package io.corral.worker.network;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The nftables file that balances the VIPs a task can reach, loaded in the task's own namespace:
 * the table is recreated in the same file, so {@code nft -f} swaps it atomically (or, failing,
 * leaves the old one). A {@code nat output} chain maps each VIP to its service's chain, which DNATs
 * every protocol and port round-robin to one backend; a VIP without backends is refused (TCP reset,
 * ICMP otherwise) rather than left to time out.
 */
public final class VipRules {

  /** The table's name in every task namespace. */
  public static final String TABLE = "corral_lb";

  /** One service's VIP and its backends' addresses (without prefix). */
  public record Vip(String serviceId, String address, List<String> backends) {
    public Vip {
      backends = List.copyOf(backends);
    }
  }

  private VipRules() {}

  /** The file for {@code vips} (sorted by the caller for a stable text); empty means no table. */
  public static String render(List<Vip> vips) {
    StringBuilder b = new StringBuilder();
    // Creating it first makes the delete valid whether or not the table exists.
    b.append("table ip ").append(TABLE).append(" {}\n");
    b.append("delete table ip ").append(TABLE).append('\n');
    if (vips.isEmpty()) {
      return b.toString();
    }
    List<String> balanced = new ArrayList<>();
    Set<String> empty = new LinkedHashSet<>();
    List<String> chains = new ArrayList<>();
    for (Vip v : vips) {
      String vip = Ipv4.host(v.address());
      if (v.backends().isEmpty()) {
        empty.add(vip);
        continue;
      }
      String chain = chainOf(v.serviceId());
      balanced.add(vip + " : jump " + chain);
      StringBuilder map = new StringBuilder();
      for (int i = 0; i < v.backends().size(); i++) {
        map.append(i == 0 ? "" : ", ").append(i).append(" : ").append(v.backends().get(i));
      }
      chains.add(
          "  chain "
              + chain
              + " {\n    dnat ip to numgen inc mod "
              + v.backends().size()
              + " map { "
              + map
              + " }\n  }\n");
    }
    b.append("table ip ").append(TABLE).append(" {\n");
    // nft 1.0.6 refuses "priority dstnat" on the output hook; -100 is its value.
    b.append("  chain output {\n    type nat hook output priority -100; policy accept;\n");
    if (!balanced.isEmpty()) {
      b.append("    ip daddr vmap { ").append(String.join(", ", balanced)).append(" }\n");
    }
    b.append("  }\n");
    chains.forEach(b::append);
    if (!empty.isEmpty()) {
      String set = "{ " + String.join(", ", empty) + " }";
      b.append("  chain refuse {\n    type filter hook output priority 0; policy accept;\n");
      b.append("    ip daddr ").append(set).append(" meta l4proto tcp reject with tcp reset\n");
      b.append("    ip daddr ").append(set).append(" reject\n");
      b.append("  }\n");
    }
    b.append("}\n");
    return b.toString();
  }

  /** A chain name nft accepts for any service id. */
  static String chainOf(String serviceId) {
    return "svc_" + serviceId.replaceAll("[^A-Za-z0-9_]", "_");
  }
}
