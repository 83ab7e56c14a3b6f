package io.corral.worker.dns;

import io.corral.worker.network.NetworkListener;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's DNS server listening on the gateway address of every overlay network that is up
 * on the node, which is the nameserver its tasks' resolv.conf names.
 */
public final class GatewayBinding implements NetworkListener {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayBinding.class);

  private final DnsServer dns;
  private final Map<String, InetAddress> gateways = new HashMap<>();

  public GatewayBinding(DnsServer dns) {
    this.dns = dns;
  }

  @Override
  public synchronized void up(String networkId, String gateway) {
    try {
      InetAddress address = InetAddress.getByName(gateway);
      InetAddress before = gateways.put(networkId, address);
      if (before != null && !before.equals(address)) {
        dns.unlisten(before);
      }
      dns.listen(address);
    } catch (UnknownHostException | RuntimeException e) {
      // Tasks on this network still run; only their name lookups fail, and the log says why.
      LOG.error(
          "DNS cannot listen on gateway {} of network {}: {}", gateway, networkId, e.getMessage());
    }
  }

  @Override
  public synchronized void down(String networkId) {
    InetAddress address = gateways.remove(networkId);
    if (address != null) {
      dns.unlisten(address);
    }
  }
}
