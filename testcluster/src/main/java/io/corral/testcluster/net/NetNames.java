package io.corral.testcluster.net;

import java.util.regex.Pattern;

/**
 * Names of one cluster's namespaces and interfaces. Namespaces are {@code crl-<cluster>-lan} and
 * {@code crl-<cluster>-<node>}; interfaces live only inside them (bridge {@code br0} and ports
 * {@code p-<node>} in the LAN namespace, {@code eth0} in each node), so they never clash with the
 * host's or another cluster's, and only the port name is bound by the kernel's 15-character limit.
 */
public record NetNames(String cluster) {

  public static final String PREFIX = "crl-";
  public static final String BRIDGE = "br0";
  public static final String NODE_INTERFACE = "eth0";
  static final String LAN = "lan";

  /** Interface names are at most 15 characters (IFNAMSIZ - 1); ports are "p-" + node. */
  private static final int MAX_NODE = 15 - 2;

  private static final Pattern CLUSTER = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
  // No dashes in node names: that keeps cluster "a" from ever claiming cluster "a-b"'s namespaces.
  private static final Pattern NODE = Pattern.compile("[a-z0-9]{1," + MAX_NODE + "}");

  public NetNames {
    if (!CLUSTER.matcher(cluster).matches()) {
      throw new IllegalArgumentException(
          "invalid cluster name '"
              + cluster
              + "': use 1-40 characters a-z, 0-9 and '-', starting with a letter or digit");
    }
  }

  /** Throws unless {@code node} is a usable node name. */
  public static String checkNode(String node) {
    if (!NODE.matcher(node).matches() || node.equals(LAN)) {
      throw new IllegalArgumentException(
          "invalid node name '"
              + node
              + "': use 1-"
              + MAX_NODE
              + " characters a-z and 0-9 (not '"
              + LAN
              + "')");
    }
    return node;
  }

  public String lanNamespace() {
    return PREFIX + cluster + "-" + LAN;
  }

  public String nodeNamespace(String node) {
    return PREFIX + cluster + "-" + checkNode(node);
  }

  /** The bridge-side end of the node's veth pair, inside the LAN namespace. */
  public String port(String node) {
    return "p-" + checkNode(node);
  }

  /** Whether a namespace name belongs to this cluster (its LAN or one of its nodes). */
  public boolean owns(String namespace) {
    String head = PREFIX + cluster + "-";
    if (!namespace.startsWith(head)) {
      return false;
    }
    String rest = namespace.substring(head.length());
    return rest.equals(LAN) || NODE.matcher(rest).matches();
  }
}
