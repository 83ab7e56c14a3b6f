package io.corral.cli.network;

import io.corral.api.IPAMConfig;
import io.corral.api.IPAMOptions;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.Node;
import io.corral.api.Task;
import io.corral.cli.format.GoTime;
import io.corral.common.TerminalStates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A network as {@code docker network inspect} prints it, with what a manager knows: the allocated
 * IPAM and driver options, and the live tasks attached to it as "Containers" (keyed by task id:
 * corral has no container ids across nodes) with the nodes they run on as "Peers".
 */
final class NetworkJson {

  private NetworkJson() {}

  /**
   * @param tasks every task of the cluster (those attached to {@code n} are picked here)
   * @param nodes the nodes by id, to name the peers
   */
  static Map<String, Object> of(Network n, List<Task> tasks, Map<String, Node> nodes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Name", n.getSpec().getAnnotations().getName());
    m.put("Id", n.getId());
    m.put("Created", GoTime.rfc3339Nano(n.getMeta().getCreatedAt()));
    m.put("Scope", NetworkRow.SCOPE);
    m.put("Driver", NetworkRow.driver(n));
    m.put("EnableIPv6", n.getSpec().getIpv6Enabled());
    m.put("IPAM", ipam(n.hasIpam() ? n.getIpam() : n.getSpec().getIpam()));
    m.put("Internal", n.getSpec().getInternal());
    m.put("Attachable", n.getSpec().getAttachable());
    m.put("Ingress", n.getSpec().getIngress());
    Map<String, Object> containers = new TreeMap<>();
    Map<String, Map<String, Object>> peers = new TreeMap<>();
    for (Task t : tasks) {
      NetworkAttachment a = attachment(t, n.getId());
      if (a == null || !live(t)) {
        continue;
      }
      containers.put(t.getId(), container(t, a));
      Node node = nodes.get(t.getNodeId());
      if (node != null) {
        peers.put(node.getId(), peer(node));
      }
    }
    // The nodes' own endpoints on the network (the ingress one: every node answers published
    // ports through it), as docker's "ingress-sbox", one per node here.
    for (Node node : nodes.values()) {
      for (NetworkAttachment a : node.getAttachmentsList()) {
        if (a.getNetwork().getId().equals(n.getId())) {
          containers.put("ingress-sbox-" + node.getId(), nodeEndpoint(a));
          peers.put(node.getId(), peer(node));
        }
      }
    }
    m.put("Containers", containers);
    Map<String, String> options =
        n.hasDriverState()
            ? n.getDriverState().getOptionsMap()
            : n.getSpec().getDriverConfig().getOptionsMap();
    m.put("Options", new TreeMap<>(options));
    m.put("Labels", new TreeMap<>(n.getSpec().getAnnotations().getLabelsMap()));
    if (!peers.isEmpty()) {
      m.put("Peers", new ArrayList<>(peers.values()));
    }
    return m;
  }

  private static Map<String, Object> ipam(IPAMOptions ipam) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Driver", ipam.getDriver().getName().isEmpty() ? "default" : ipam.getDriver().getName());
    m.put(
        "Options",
        ipam.getDriver().getOptionsCount() == 0
            ? null
            : new TreeMap<>(ipam.getDriver().getOptionsMap()));
    List<Object> configs = new ArrayList<>();
    for (IPAMConfig c : ipam.getConfigsList()) {
      // Docker's IPAMConfig fields are all omitempty.
      Map<String, Object> config = new LinkedHashMap<>();
      putIf(config, "Subnet", c.getSubnet());
      putIf(config, "IPRange", c.getRange());
      putIf(config, "Gateway", c.getGateway());
      configs.add(config);
    }
    m.put("Config", configs);
    return m;
  }

  /** One attached task, in the fields of docker's EndpointResource that a manager can know. */
  private static Map<String, Object> container(Task t, NetworkAttachment a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Name", t.getAnnotations().getName());
    String address = a.getAddressesCount() > 0 ? a.getAddresses(0) : "";
    m.put("MacAddress", mac(address));
    m.put("IPv4Address", address);
    m.put("IPv6Address", "");
    return m;
  }

  private static Map<String, Object> peer(Node node) {
    Map<String, Object> peer = new LinkedHashMap<>();
    peer.put("Name", node.getDescription().getHostname());
    peer.put("IP", node.getStatus().getAddr());
    return peer;
  }

  /** A node's own endpoint, named as docker names the ingress sandbox's. */
  private static Map<String, Object> nodeEndpoint(NetworkAttachment a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Name", "ingress-endpoint");
    String address = a.getAddressesCount() > 0 ? a.getAddresses(0) : "";
    m.put("MacAddress", mac(address));
    m.put("IPv4Address", address);
    m.put("IPv6Address", "");
    return m;
  }

  /** A task's MAC on an overlay: 02:42 and the four bytes of its IPv4 address, docker's rule. */
  static String mac(String address) {
    int slash = address.indexOf('/');
    String ip = slash < 0 ? address : address.substring(0, slash);
    if (!Cidr.isAddress(ip)) {
      return "";
    }
    StringBuilder b = new StringBuilder("02:42");
    for (String part : ip.split("\\.")) {
      b.append(String.format(":%02x", Integer.parseInt(part)));
    }
    return b.toString();
  }

  private static NetworkAttachment attachment(Task t, String networkId) {
    for (NetworkAttachment a : t.getNetworksList()) {
      if (a.getNetwork().getId().equals(networkId)) {
        return a;
      }
    }
    return null;
  }

  /** A task that an agent may run with its address: assigned to a node and not ended. */
  private static boolean live(Task t) {
    return !t.getNodeId().isEmpty() && !TerminalStates.isTerminal(t.getStatus().getState());
  }

  private static void putIf(Map<String, Object> m, String key, String value) {
    if (!value.isEmpty()) {
      m.put(key, value);
    }
  }
}
