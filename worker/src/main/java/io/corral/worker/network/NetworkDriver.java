package io.corral.worker.network;

import io.corral.worker.agent.TaskBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's devices of each overlay network: a bridge holding the gateway address and a VXLAN
 * device on it ({@code nolearning proxy}: remote MACs and ARP answers come only from the entries
 * {@link Peers} programs, nothing floods), at the underlay's MTU minus the VXLAN overhead; plus IP
 * forwarding and the masquerade of non-internal subnets. Devices found existing (after a daemon
 * restart) are kept as they are, so running tasks are not disturbed. Not thread-safe: its caller
 * serialises.
 */
public final class NetworkDriver {

  private static final Logger LOG = LoggerFactory.getLogger(NetworkDriver.class);

  /**
   * VXLAN over IPv4: outer Ethernet is not counted; IP 20 + UDP 8 + VXLAN 8 + inner Ethernet 14.
   */
  public static final int VXLAN_OVERHEAD = 50;

  private static final Pattern MTU = Pattern.compile("\\bmtu (\\d+)\\b");

  private final Commands cmd;
  private final String underlay;
  private final NetworkListener listener;
  private final Map<String, OverlayNetwork> up = new LinkedHashMap<>();
  private int mtu;

  /**
   * @param underlay this node's underlay (advertise) address: the VXLAN source, and where its MTU
   *     is read from
   */
  public NetworkDriver(Commands cmd, String underlay, NetworkListener listener) {
    this.cmd = cmd;
    this.underlay = underlay;
    this.listener = listener;
  }

  /** The MTU of overlay interfaces: the underlay interface's minus the VXLAN overhead. */
  public int mtu() throws TaskBackend.TaskException {
    if (mtu == 0) {
      String dev = underlayDevice();
      Matcher m = MTU.matcher(cmd.run("ip", "-o", "link", "show", "dev", dev));
      if (!m.find()) {
        throw new TaskBackend.TaskException("cannot read the MTU of underlay interface " + dev);
      }
      mtu = Integer.parseInt(m.group(1)) - VXLAN_OVERHEAD;
    }
    return mtu;
  }

  private String underlayDevice() throws TaskBackend.TaskException {
    if (underlay == null || underlay.isBlank()) {
      throw new TaskBackend.TaskException(
          "this node has no underlay address for overlay networks; start the daemon with"
              + " --advertise-addr (or --listen-addr) set to this node's address");
    }
    for (String line : cmd.run("ip", "-o", "-4", "addr", "show").split("\n")) {
      // "2: eth0    inet 10.0.0.2/24 brd ... scope global eth0"
      String[] w = line.trim().split("\\s+");
      for (int i = 0; i + 1 < w.length; i++) {
        if (w[i].equals("inet") && Ipv4.host(w[i + 1]).equals(underlay)) {
          return w[1].replaceAll("@.*", "");
        }
      }
    }
    throw new TaskBackend.TaskException(
        "the underlay address "
            + underlay
            + " is on none of this node's interfaces; check the daemon's --advertise-addr");
  }

  /** Makes the network's devices exist and be up (creating only what is missing). */
  public void ensure(OverlayNetwork n) throws TaskBackend.TaskException {
    if (up.containsKey(n.id())) {
      return;
    }
    int m = mtu();
    String br = n.bridge();
    String vx = n.vxlan();
    boolean created = false;
    if (!exists(br)) {
      cmd.run("ip", "link", "add", br, "mtu", Integer.toString(m), "type", "bridge");
      created = true;
    }
    cmd.run("ip", "addr", "replace", n.gatewayCidr(), "dev", br);
    if (!exists(vx)) {
      cmd.run(
          "ip",
          "link",
          "add",
          vx,
          "mtu",
          Integer.toString(m),
          "type",
          "vxlan",
          "id",
          Integer.toString(n.vni()),
          "dstport",
          "4789",
          "local",
          underlay,
          "nolearning",
          "proxy");
      created = true;
    }
    cmd.run("ip", "link", "set", vx, "master", br, "up");
    cmd.run("ip", "link", "set", br, "up");
    cmd.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    up.put(n.id(), n);
    try {
      loadNodeRules();
    } catch (TaskBackend.TaskException e) {
      up.remove(n.id());
      throw e;
    }
    LOG.info(
        "{} overlay network {} (VNI {}, {} on {}, MTU {})",
        created ? "created" : "adopted",
        n.name(),
        n.vni(),
        n.gatewayCidr(),
        br,
        m);
    listener.up(n.id(), n.gateway());
  }

  /** Removes the network's devices and its masquerade; never throws. */
  public void remove(OverlayNetwork n) {
    up.remove(n.id());
    listener.down(n.id());
    cmd.attempt("ip", "link", "del", n.vxlan());
    cmd.attempt("ip", "link", "del", n.bridge());
    try {
      loadNodeRules();
    } catch (TaskBackend.TaskException e) {
      LOG.warn("cannot update the node's overlay masquerade rules: {}", e.getMessage());
    }
    LOG.info("removed overlay network {} (VNI {}) from this node", n.name(), n.vni());
  }

  /** The networks up on this node. */
  public List<OverlayNetwork> networks() {
    return new ArrayList<>(up.values());
  }

  public boolean isUp(String networkId) {
    return up.containsKey(networkId);
  }

  private boolean exists(String dev) {
    return cmd.attempt("ip", "link", "show", "dev", dev).ok();
  }

  private void loadNodeRules() throws TaskBackend.TaskException {
    cmd.run(List.of("nft", "-f", "-"), NodeRules.render(networks()));
  }
}
