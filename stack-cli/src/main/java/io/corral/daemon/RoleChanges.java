package io.corral.daemon;

import io.corral.api.Node;
import io.corral.common.NamedThreads;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeRole;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the role changes the managers decide for this node, one at a time off the agent's thread:
 * a promoted node renews its certificate as a manager and joins the Raft group; a demoted one, once
 * the leader has taken it out of the group, stops its Raft member, deletes its Raft data and renews
 * its certificate as a worker.
 */
final class RoleChanges implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RoleChanges.class);

  private final Daemon daemon;
  private final DataDir dataDir;
  private final NodeCertificates certificates;
  private final ManagerRole managers;
  private final ExecutorService changes =
      Executors.newSingleThreadExecutor(NamedThreads.daemon("role-changes"));

  RoleChanges(Daemon daemon, DataDir dataDir, NodeCertificates certificates, ManagerRole managers) {
    this.daemon = daemon;
    this.dataDir = dataDir;
    this.certificates = certificates;
    this.managers = managers;
  }

  /**
   * This node as the managers now see it; a change of role is followed later, on the role-change
   * thread.
   */
  void onNode(Node node) {
    changes.execute(() -> reconcile(node));
  }

  private void reconcile(Node node) {
    synchronized (daemon) { // not while an init, join or leave runs
      NodeState s = daemon.state();
      if (s == null || !node.getId().equals(s.nodeId())) {
        return;
      }
      try {
        if (!s.manager() && node.getSpec().getDesiredRole() == io.corral.api.NodeRole.MANAGER) {
          promote(s);
        } else if (s.manager()
            && node.getRole() == io.corral.api.NodeRole.WORKER
            && node.getSpec().getDesiredRole() == io.corral.api.NodeRole.WORKER) {
          demote(s);
        }
      } catch (Exception e) {
        daemon.reportProblem("role change failed: " + e.getMessage());
        LOG.error("could not follow the role change of this node", e);
      }
    }
  }

  private void promote(NodeState s) throws Exception {
    LOG.info("promoted: renewing the certificate as a manager and joining the Raft group");
    String connected = daemon.connectedTo();
    String remote = connected == null ? s.managers().get(0) : connected;
    NodeIdentity renewed = certificates.renewAs(remote, NodeRole.MANAGER);
    List<String> known = new ArrayList<>(s.managers());
    managers
        .join(remote, renewed, s.listenAddr(), s.advertiseAddr(), s.raftAddr())
        .forEach(
            a -> {
              if (!known.contains(a)) {
                known.add(a);
              }
            });
    daemon.saveState(s.withManager(true).withManagers(known));
  }

  private void demote(NodeState s) throws Exception {
    LOG.info("demoted: stopping the Raft member and renewing the certificate as a worker");
    String remote =
        s.managers().stream()
            .filter(a -> !a.equals(s.advertiseAddr()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no other manager known to renew the certificate with"));
    managers.stop();
    DataDir.deleteTree(dataDir.raft());
    certificates.renewAs(remote, NodeRole.WORKER);
    daemon.saveState(
        s.withManager(false)
            .withManagers(
                s.managers().stream().filter(a -> !a.equals(s.advertiseAddr())).toList()));
  }

  @Override
  public void close() {
    changes.shutdownNow();
  }
}
