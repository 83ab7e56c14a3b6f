package io.corral.manager.role;

import io.corral.api.Node;
import io.corral.api.NodeRole;
import io.corral.common.NamedThreads;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.RaftView;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.StorePeer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader controller that carries out demotions: a node whose desired role became worker is taken
 * out of the Raft group (leadership is handed over first when it is the leader) and then recorded
 * as a worker, after which the node renews its certificate as a worker. Promotions are driven by
 * the node itself (it renews its certificate as a manager and asks to join the group).
 */
public final class RoleManager implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RoleManager.class);

  /** The group changes the role manager needs; implemented by the store. */
  public interface GroupChanges {
    void remove(String id);

    void transferLeadership(String toId);
  }

  private final Store store;
  private final RaftView raft;
  private final GroupChanges group;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("role-manager"));

  public RoleManager(Store store, RaftView raft, GroupChanges group) {
    this.store = store;
    this.raft = raft;
    this.group = group;
    // A periodic pass instead of a watch: demotions are rare and a pass is cheap and restart-proof.
    loop.scheduleWithFixedDelay(this::reconcile, 500, 500, TimeUnit.MILLISECONDS);
  }

  void reconcile() {
    if (!raft.isLeader()) {
      return;
    }
    try {
      List<Node> demoted =
          store.view(
              tx ->
                  tx.find(
                      ObjectKind.NODE,
                      n ->
                          n.getSpec().getDesiredRole() == NodeRole.WORKER
                              && n.getRole() == NodeRole.MANAGER));
      for (Node n : demoted) {
        demote(n);
      }
    } catch (RuntimeException e) {
      LOG.warn("role reconciliation failed: {}", e.toString());
    }
  }

  private void demote(Node node) {
    List<StorePeer> members = raft.members();
    boolean member = members.stream().anyMatch(m -> m.id().equals(node.getId()));
    if (member && node.getId().equals(raft.selfId())) {
      // The leader cannot take itself out cleanly: hand leadership to a reachable manager, whose
      // role manager
      // then finishes the demotion.
      Map<String, Boolean> reachable = raft.reachability();
      Optional<StorePeer> successor =
          members.stream()
              .filter(m -> !m.id().equals(node.getId()) && reachable.getOrDefault(m.id(), false))
              .findFirst();
      if (successor.isEmpty()) {
        LOG.warn("cannot demote leader {}: no other manager is reachable", node.getId());
        return;
      }
      LOG.info(
          "demoting the leader {}: handing leadership to {}", node.getId(), successor.get().id());
      group.transferLeadership(successor.get().id());
      return;
    }
    if (member) {
      LOG.info("demoting {}: removing it from the Raft group", node.getId());
      group.remove(node.getId());
    }
    try {
      store.update(
          tx ->
              tx.get(ObjectKind.NODE, node.getId())
                  .ifPresent(
                      n ->
                          tx.update(
                              n.toBuilder()
                                  .setRole(NodeRole.WORKER)
                                  .clearManagerStatus()
                                  .build())));
      LOG.info("node {} is now a worker", node.getId());
    } catch (StoreException e) {
      LOG.warn("could not record the demotion of {}: {}", node.getId(), e.getMessage());
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
