package io.corral.worker.network;

import io.corral.api.ServiceEndpoints;
import io.corral.api.TaskEndpoint;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The remote tasks one network's VXLAN device must reach, as FDB and neighbour entries: what the
 * endpoint table asks for, what the kernel already holds, and the difference between the two (so
 * updates touch only what changed).
 */
public final class PeerEntries {

  /** One remote task: its overlay address, its MAC and the underlay address of its node. */
  public record Peer(String address, String mac, String nodeAddr) implements Comparable<Peer> {
    @Override
    public int compareTo(Peer o) {
      return (address + "|" + nodeAddr).compareTo(o.address + "|" + o.nodeAddr);
    }
  }

  /** What to remove and what to add to go from the programmed entries to the wanted ones. */
  public record Diff(Set<Peer> remove, Set<Peer> add) {
    public boolean isEmpty() {
      return remove.isEmpty() && add.isEmpty();
    }
  }

  private PeerEntries() {}

  /**
   * The tasks of the network's entries that run on other nodes ({@code attached}: every task with
   * an address, healthy or not, since the data path must reach them all). An entry without a node
   * address or with a malformed task address is skipped: it cannot be programmed.
   */
  public static Set<Peer> wanted(List<ServiceEndpoints> entries, String selfNodeId) {
    Set<Peer> out = new TreeSet<>();
    for (ServiceEndpoints e : entries) {
      for (TaskEndpoint t : e.getAttachedList()) {
        if (t.getNodeId().equals(selfNodeId) || t.getNodeAddr().isBlank()) {
          continue;
        }
        try {
          String ip = Ipv4.host(t.getAddress());
          out.add(new Peer(ip, Ipv4.macOf(ip), Ipv4.host(t.getNodeAddr())));
        } catch (IllegalArgumentException malformed) {
          // Skipped: nothing on the wire could reach it anyway.
        }
      }
    }
    return out;
  }

  public static Diff diff(Set<Peer> programmed, Set<Peer> wanted) {
    Set<Peer> remove = new LinkedHashSet<>(programmed);
    remove.removeAll(wanted);
    Set<Peer> add = new LinkedHashSet<>(wanted);
    add.removeAll(programmed);
    return new Diff(remove, add);
  }

  /**
   * The permanent entries found on a VXLAN device, from {@code ip neigh show dev VX nud permanent}
   * ("10.0.1.5 lladdr 02:42:0a:00:01:05 PERMANENT") and {@code bridge fdb show dev VX}
   * ("02:42:0a:00:01:05 dst 10.0.0.2 self permanent"): how a restarted daemon learns what it had
   * programmed.
   */
  public static Set<Peer> parse(String neighbours, String fdb) {
    Map<String, String> dstByMac = new HashMap<>();
    for (String line : fdb.split("\n")) {
      String[] w = line.trim().split("\\s+");
      for (int i = 1; i + 1 < w.length; i++) {
        if (w[i].equals("dst") && line.contains("permanent")) {
          dstByMac.put(w[0].toLowerCase(), w[i + 1]);
        }
      }
    }
    Set<Peer> out = new TreeSet<>();
    for (String line : neighbours.split("\n")) {
      String[] w = line.trim().split("\\s+");
      for (int i = 1; i + 1 < w.length; i++) {
        if (w[i].equals("lladdr")) {
          String mac = w[i + 1].toLowerCase();
          String dst = dstByMac.get(mac);
          if (dst != null) {
            out.add(new Peer(w[0], mac, dst));
          }
        }
      }
    }
    return out;
  }
}
