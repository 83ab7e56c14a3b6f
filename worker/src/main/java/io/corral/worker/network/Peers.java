package io.corral.worker.network;

import io.corral.worker.agent.TaskBackend;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Programs, on each local network's VXLAN device, a permanent FDB entry (MAC → remote node) and a
 * permanent neighbour entry (address → MAC, answered by the {@code proxy} device instead of ARP on
 * the wire) for every task of the network on another node, as the endpoint table lists them;
 * incrementally, against what is programmed (read back from the kernel when a network is first
 * seen, so a restarted daemon removes what went stale meanwhile). All work runs on one thread.
 */
public final class Peers implements EndpointTable.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(Peers.class);

  private final Commands cmd;
  private final EndpointTable table;
  private final String selfNodeId;
  private final ExecutorService thread;

  /**
   * Per local network: its VXLAN device and the entries programmed on it. Only on {@link #thread}.
   */
  private final Map<String, Local> local = new HashMap<>();

  private record Local(OverlayNetwork network, Set<PeerEntries.Peer> programmed) {}

  public Peers(Commands cmd, EndpointTable table, String selfNodeId, ExecutorService thread) {
    this.cmd = cmd;
    this.table = table;
    this.selfNodeId = selfNodeId;
    this.thread = thread;
  }

  /**
   * The network's devices exist on this node: programs its peers before returning. An adopted
   * network ({@code sync} false, after a restart) keeps its entries until the endpoint table next
   * changes for it, since the table is empty until the first assignment arrives.
   */
  public void networkUp(OverlayNetwork n, boolean sync) {
    Future<?> done =
        thread.submit(
            () -> {
              if (!local.containsKey(n.id())) {
                local.put(n.id(), new Local(n, programmedIn(n)));
              }
              if (sync) {
                sync(n.id());
              }
            });
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.warn("programming the peers of network {} failed: {}", n.name(), e.getCause().toString());
    }
  }

  /** The network's devices are gone (and their entries with them). */
  public void networkDown(String networkId) {
    thread.execute(() -> local.remove(networkId));
  }

  @Override
  public void networksChanged(Set<String> networkIds) {
    try {
      thread.execute(() -> networkIds.forEach(this::sync));
    } catch (RejectedExecutionException closed) {
      // The data path is closed (the daemon stops): nothing more to program.
    }
  }

  private void sync(String networkId) {
    Local l = local.get(networkId);
    if (l == null) {
      return;
    }
    Set<PeerEntries.Peer> wanted = PeerEntries.wanted(table.onNetwork(networkId), selfNodeId);
    PeerEntries.Diff d = PeerEntries.diff(l.programmed(), wanted);
    String vx = l.network().vxlan();
    for (PeerEntries.Peer p : d.remove()) {
      cmd.attempt("ip", "neigh", "del", p.address(), "dev", vx);
      cmd.attempt("bridge", "fdb", "del", p.mac(), "dev", vx, "dst", p.nodeAddr(), "self");
      l.programmed().remove(p);
    }
    for (PeerEntries.Peer p : d.add()) {
      try {
        cmd.run(
            "bridge",
            "fdb",
            "replace",
            p.mac(),
            "dev",
            vx,
            "dst",
            p.nodeAddr(),
            "self",
            "permanent");
        cmd.run(
            "ip",
            "neigh",
            "replace",
            p.address(),
            "lladdr",
            p.mac(),
            "dev",
            vx,
            "nud",
            "permanent");
        l.programmed().add(p);
      } catch (TaskBackend.TaskException e) {
        // Left out of "programmed": the next change of the network tries it again.
        LOG.warn("cannot program peer {} on {}: {}", p, vx, e.getMessage());
      }
    }
    if (!d.isEmpty()) {
      LOG.debug("network {}: -{} +{} peers", l.network().name(), d.remove().size(), d.add().size());
    }
  }

  private Set<PeerEntries.Peer> programmedIn(OverlayNetwork n) {
    Commands.Result neigh =
        cmd.attempt("ip", "neigh", "show", "dev", n.vxlan(), "nud", "permanent");
    Commands.Result fdb = cmd.attempt("bridge", "fdb", "show", "dev", n.vxlan());
    Set<PeerEntries.Peer> found =
        new java.util.TreeSet<>(PeerEntries.parse(neigh.stdout(), fdb.stdout()));
    return found;
  }
}
