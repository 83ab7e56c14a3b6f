package io.corral.worker.network;

import io.corral.common.NamedThreads;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The worker's overlay data path, assembled: the network driver, the peers and the VIP balancer
 * following the endpoint table on one thread, and the {@link NetworkPreparer} the task lifecycle
 * runs. {@link #start} adopts what a previous daemon left.
 */
public final class OverlayDataPath implements AutoCloseable {

  private final ExecutorService thread;
  private final NetworkPreparer preparer;

  private OverlayDataPath(ExecutorService thread, NetworkPreparer preparer) {
    this.thread = thread;
    this.preparer = preparer;
  }

  /**
   * @param cmd how to run the network tools ({@link Commands#local()} in production)
   * @param table the node's endpoint table, fed by the agent
   * @param nodeId this node's id (its own tasks are not peers)
   * @param underlay this node's underlay (advertise) address
   * @param namespaces the executor's task namespaces
   * @param stateDir where task attachments are kept ({@code <dataDir>/networks})
   * @param listener told when networks come up and go down here (the DNS server binds on them)
   */
  public static OverlayDataPath start(
      Commands cmd,
      EndpointTable table,
      String nodeId,
      String underlay,
      NamespaceProvider namespaces,
      Path stateDir,
      NetworkListener listener) {
    return start(
        cmd, table, nodeId, underlay, namespaces, stateDir, Path.of("/etc/netns"), listener);
  }

  /** As {@link #start}, with per-namespace files under {@code netnsEtc} (tests). */
  public static OverlayDataPath start(
      Commands cmd,
      EndpointTable table,
      String nodeId,
      String underlay,
      NamespaceProvider namespaces,
      Path stateDir,
      Path netnsEtc,
      NetworkListener listener) {
    ExecutorService thread =
        Executors.newSingleThreadExecutor(NamedThreads.numbered("corral-overlay"));
    NetworkDriver driver = new NetworkDriver(cmd, underlay, listener);
    Peers peers = new Peers(cmd, table, nodeId, thread);
    VipBalancer vips = new VipBalancer(cmd, table, thread);
    table.addListener(peers);
    table.addListener(vips);
    NetworkPreparer preparer =
        new NetworkPreparer(cmd, driver, namespaces, peers, vips, stateDir, netnsEtc);
    preparer.adopt();
    return new OverlayDataPath(thread, preparer);
  }

  /** The preparation step to give the task lifecycle. */
  public NetworkPreparer preparer() {
    return preparer;
  }

  /** Removes every task namespace, veth and network device this node made (`swarm leave`). */
  public void removeAll() {
    preparer.releaseAll();
  }

  /** Stops following the table; devices, namespaces and rules stay for the next daemon. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
