package io.corral.testcluster.net;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A virtual LAN for one test cluster: a namespace holding a Linux bridge, and per node a namespace
 * with {@code lo} and {@code eth0}, the node end of a veth pair whose other end is a port of the
 * bridge. Every interface is created directly inside its namespace, so nothing appears in the
 * host's and two clusters can use the same subnet. Node {@code i} (1-based, in order of {@link
 * #addNode}) gets host number 10 + i.
 */
public final class VirtualLan implements AutoCloseable {

  /** Host numbers below this stay free (for a gateway or a test's own addresses later). */
  public static final int FIRST_HOST = 10;

  private final NetNames names;
  private final Subnet subnet;
  private final Map<String, String> addresses = new LinkedHashMap<>();

  public VirtualLan(String cluster, Subnet subnet) {
    this.names = new NetNames(cluster);
    this.subnet = subnet;
  }

  public NetNames names() {
    return names;
  }

  public Subnet subnet() {
    return subnet;
  }

  /**
   * Creates the LAN namespace and its bridge, after removing whatever an earlier run of a cluster
   * with this name left behind.
   */
  public synchronized void create() {
    removeAll();
    String lan = names.lanNamespace();
    Namespaces.add(lan);
    Namespaces.ip("-n", lan, "link", "set", "lo", "up");
    // No STP and no forwarding delay: ports forward the moment they are attached, so heal() acts at
    // once.
    Namespaces.ip(
        "-n",
        lan,
        "link",
        "add",
        NetNames.BRIDGE,
        "type",
        "bridge",
        "stp_state",
        "0",
        "forward_delay",
        "0");
    Namespaces.ip("-n", lan, "link", "set", NetNames.BRIDGE, "up");
  }

  /**
   * Creates the node's namespace wired to the bridge (creating the LAN first if needed); returns
   * its address.
   */
  public synchronized String addNode(String node) {
    NetNames.checkNode(node);
    if (addresses.containsKey(node)) {
      throw new IllegalArgumentException(
          "node " + node + " is already on LAN " + names.lanNamespace());
    }
    if (!Namespaces.exists(names.lanNamespace())) {
      create();
    }
    String address = subnet.host(FIRST_HOST + addresses.size() + 1);
    String lan = names.lanNamespace();
    String ns = names.nodeNamespace(node);
    String port = names.port(node);
    Namespaces.add(ns);
    Namespaces.ip("-n", ns, "link", "set", "lo", "up");
    Namespaces.ip(
        "-n",
        lan,
        "link",
        "add",
        port,
        "type",
        "veth",
        "peer",
        "name",
        NetNames.NODE_INTERFACE,
        "netns",
        ns);
    Namespaces.ip("-n", lan, "link", "set", port, "master", NetNames.BRIDGE, "up");
    Namespaces.ip(
        "-n",
        ns,
        "addr",
        "add",
        address + "/" + subnet.prefixLength(),
        "dev",
        NetNames.NODE_INTERFACE);
    Namespaces.ip("-n", ns, "link", "set", NetNames.NODE_INTERFACE, "up");
    addresses.put(node, address);
    return address;
  }

  /** The address {@link #addNode} gave {@code node} in this instance. */
  public synchronized String address(String node) {
    String a = addresses.get(node);
    if (a == null) {
      throw new IllegalArgumentException(
          "no node "
              + node
              + " on LAN "
              + names.lanNamespace()
              + "; nodes are "
              + addresses.keySet());
    }
    return a;
  }

  public synchronized List<String> nodes() {
    return List.copyOf(addresses.keySet());
  }

  public String namespace(String node) {
    return names.nodeNamespace(node);
  }

  /**
   * Cuts {@code node} off the LAN in both directions by detaching its port from the bridge. Its
   * {@code eth0} keeps its carrier, as when a switch drops a port: the node's sockets time out
   * rather than see the link go down. Idempotent.
   */
  public void partition(String node) {
    Namespaces.ip("-n", names.lanNamespace(), "link", "set", names.port(node), "nomaster");
  }

  /** Puts {@code node} back on the LAN. Idempotent. */
  public void heal(String node) {
    Namespaces.ip(
        "-n",
        names.lanNamespace(),
        "link",
        "set",
        names.port(node),
        "master",
        NetNames.BRIDGE,
        "up");
  }

  /** Whether the node's port is off the bridge. */
  public boolean isPartitioned(String node) {
    String link =
        Namespaces.ip("-n", names.lanNamespace(), "-o", "link", "show", "dev", names.port(node))
            .stdout();
    return !link.contains(" master " + NetNames.BRIDGE + " ");
  }

  /** The command line that runs {@code command} inside the node's namespace. */
  public List<String> inside(String node, List<String> command) {
    return Namespaces.inside(names.nodeNamespace(node), command);
  }

  /** Namespaces of this cluster that exist now, e.g. left over by a run that crashed. */
  public List<String> existingNamespaces() {
    return Namespaces.list().stream().filter(names::owns).toList();
  }

  /**
   * Deletes every namespace of this cluster, including leftovers of earlier runs this instance did
   * not create, killing the processes inside them; the veth pairs and the bridge go with their
   * namespaces. Idempotent.
   */
  public synchronized void removeAll() {
    for (String ns : existingNamespaces()) {
      Namespaces.delete(ns);
    }
    addresses.clear();
    List<String> left = existingNamespaces();
    if (!left.isEmpty()) {
      throw new IllegalStateException(
          "namespaces still exist after removing them: "
              + left
              + "; try: ip netns pids NS, then ip netns delete NS");
    }
  }

  @Override
  public void close() {
    removeAll();
  }
}
