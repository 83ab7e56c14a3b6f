package io.corral.manager.allocator;

import io.corral.api.Endpoint;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.common.TerminalStates;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The addresses of every allocated network as one allocator pass sees them, derived from the store
 * alone: in use are the gateway, the network's reserved addresses, every service's virtual IP, and
 * every address of every task that has not terminated. Addresses taken during the pass are added at
 * once, so tasks and services of one pass never share one. The networks whose addresses were taken
 * are written back ({@link #changes}) with their new last address: that write conflicts with any
 * other writer that allocated on the same network from an older view, so two allocations of one
 * address cannot both commit, also across a leader change.
 */
final class AddressBook {

  private final Map<String, Network> networks;
  private final Map<String, Pool> pools = new LinkedHashMap<>();

  private static final class Pool {
    final NetworkIpam ipam;
    final Set<Long> used = new HashSet<>();
    long last;
    boolean touched;

    Pool(NetworkIpam ipam) {
      this.ipam = ipam;
      this.last = ipam.last();
    }
  }

  /** One address taken, so that a decision that fails half-way can give back what it took. */
  record Taken(String networkId, long address, long lastBefore, boolean touchedBefore) {}

  AddressBook(ClusterSnapshot snapshot) {
    this.networks = snapshot.networks();
    for (Network n : networks.values()) {
      NetworkIpam.of(n).ifPresent(ipam -> pools.put(n.getId(), new Pool(ipam)));
      // Addresses the network reserves (ipam reserved: address -> why) are never handed out.
      n.getIpam()
          .getConfigsList()
          .forEach(c -> c.getReservedMap().keySet().forEach(a -> mark(n.getId(), a)));
    }
    for (Service s : snapshot.services().values()) {
      for (Endpoint.VirtualIP vip : s.getEndpoint().getVirtualIpsList()) {
        mark(vip.getNetworkId(), vip.getAddr());
      }
    }
    for (Task t : snapshot.tasks()) {
      if (holdsAddresses(t)) {
        for (NetworkAttachment a : t.getNetworksList()) {
          a.getAddressesList().forEach(addr -> mark(a.getNetwork().getId(), addr));
        }
      }
    }
  }

  /**
   * A task keeps its addresses until it has terminated: until then its process may still use them.
   * The one definition the allocator (and the removal of networks) uses.
   */
  static boolean holdsAddresses(Task t) {
    return !TerminalStates.isTerminal(t.getStatus().getState()) && t.getNetworksCount() > 0;
  }

  private void mark(String networkId, String address) {
    Pool p = pools.get(networkId);
    if (p != null) {
      Cidr.hostOf(address).ifPresent(p.used::add);
    }
  }

  /** The network's allocated plan, or empty while it is not allocated (or unknown). */
  Optional<NetworkIpam> ipam(String networkId) {
    return Optional.ofNullable(pools.get(networkId)).map(p -> p.ipam);
  }

  /** Takes the next free address of the network (serially after the last one given), if any. */
  Optional<Taken> take(String networkId) {
    Pool p = pools.get(networkId);
    if (p == null) {
      return Optional.empty();
    }
    Cidr range = p.ipam.range();
    long size = range.size();
    long start = p.ipam.range().contains(p.last) ? p.last - range.base() : size - 1;
    for (long i = 1; i <= size; i++) {
      long a = range.base() + (start + i) % size;
      if (p.ipam.assignable(a) && !p.used.contains(a)) {
        Taken taken = new Taken(networkId, a, p.last, p.touched);
        p.used.add(a);
        p.last = a;
        p.touched = true;
        return Optional.of(taken);
      }
    }
    return Optional.empty();
  }

  /** Gives back addresses taken by a decision that was abandoned, newest first. */
  void giveBack(List<Taken> taken) {
    for (int i = taken.size() - 1; i >= 0; i--) {
      Taken t = taken.get(i);
      Pool p = pools.get(t.networkId());
      p.used.remove(t.address());
      p.last = t.lastBefore();
      p.touched = t.touchedBefore();
    }
  }

  /** The address with its network's prefix ("10.0.1.5/24"). */
  String format(Taken t) {
    return pools.get(t.networkId()).ipam.subnet().withPrefix(t.address());
  }

  /** The networks addresses were taken from, with their new last address, as read otherwise. */
  List<Change> changes() {
    List<Change> out = new ArrayList<>();
    pools.forEach(
        (id, p) -> {
          if (p.touched) {
            out.add(new Change.Update(NetworkIpam.withLast(networks.get(id), p.last)));
          }
        });
    return out;
  }
}
