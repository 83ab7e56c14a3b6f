package io.corral.daemon;

import io.corral.api.RaftJoinRequest;
import io.corral.api.RaftLeaveRequest;
import io.corral.api.RaftMembersRequest;
import io.corral.api.RaftMembersResponse;
import io.corral.api.RaftMembershipGrpc;
import io.corral.manager.ManagerNode;
import io.corral.manager.store.RaftTuning;
import io.corral.manager.store.StorePeer;
import io.corral.manager.tls.NodeIdentity;
import io.corral.worker.agent.StatusText;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's manager role: its {@link ManagerNode} (Raft member and cluster API, also offered on
 * the local API), and its membership of the Raft group: starting a new group, joining an existing
 * one, leaving it.
 */
final class ManagerRole {

  private static final Logger LOG = LoggerFactory.getLogger(ManagerRole.class);
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dataDir;
  private final NodeCertificates certificates;
  private final LocalApi localApi;
  private volatile ManagerNode manager;

  ManagerRole(Path dataDir, NodeCertificates certificates, LocalApi localApi) {
    this.dataDir = dataDir;
    this.certificates = certificates;
    this.localApi = localApi;
  }

  /** The running manager, when this node is one. */
  Optional<ManagerNode> current() {
    return Optional.ofNullable(manager);
  }

  /**
   * Starts this node's manager with the Raft group {@code members} (ignored when the data dir holds
   * one).
   */
  void start(StorePeer self, List<StorePeer> members, String listen) throws IOException {
    manager =
        ManagerNode.start(
            new ManagerNode.Config(
                certificates.current(),
                dataDir,
                Addresses.socket(listen),
                self,
                members,
                RaftTuning.defaults()));
    localApi.useManager(manager);
  }

  /** Waits until the new Raft group elected this node; fails the init otherwise. */
  ManagerNode awaitElected() throws InterruptedException {
    if (!manager.awaitReady(READY_TIMEOUT)) {
      throw Status.UNAVAILABLE
          .withDescription(
              "the new Raft group did not elect this node within "
                  + READY_TIMEOUT.toSeconds()
                  + " s; see the daemon log")
          .asRuntimeException();
    }
    return manager;
  }

  /**
   * Starts this node's Raft member with the group the managers at {@code remote} know, asks them to
   * add it, and waits until it has caught up. Returns the managers' cluster API addresses.
   */
  List<String> join(String remote, NodeIdentity id, String listen, String apiAddr, String raftAddr)
      throws IOException, InterruptedException {
    ManagedChannel ch = certificates.channel(remote, id);
    try {
      RaftMembershipGrpc.RaftMembershipBlockingStub stub = RaftMembershipGrpc.newBlockingStub(ch);
      RaftMembersResponse members =
          stub.withDeadlineAfter(30, TimeUnit.SECONDS)
              .members(RaftMembersRequest.getDefaultInstance());
      List<StorePeer> group =
          new ArrayList<>(
              members.getMembersList().stream()
                  .map(m -> new StorePeer(m.getNodeId(), m.getAddr()))
                  .toList());
      StorePeer self = new StorePeer(id.nodeId(), raftAddr);
      group.removeIf(p -> p.id().equals(self.id()));
      group.add(self);
      start(self, group, listen);
      stub.withDeadlineAfter(60, TimeUnit.SECONDS)
          .join(RaftJoinRequest.newBuilder().setRaftAddr(raftAddr).setApiAddr(apiAddr).build());
      if (!manager.awaitReady(READY_TIMEOUT)) {
        throw Status.UNAVAILABLE
            .withDescription(
                "joined the Raft group but did not catch up within "
                    + READY_TIMEOUT.toSeconds()
                    + " s")
            .asRuntimeException();
      }
      return members.getManagerAddrsList();
    } finally {
      ch.shutdownNow();
    }
  }

  /**
   * Takes this manager out of the Raft group before the node leaves the cluster; refuses (unless
   * forced) when the remaining managers would lose their quorum, with docker's message.
   */
  void leaveGroup(NodeState s, boolean force) {
    ManagerNode m = manager;
    if (m == null) {
      return;
    }
    var members = m.store().members();
    var reachable = m.store().reachability();
    long othersReachable =
        members.stream()
            .filter(p -> !p.id().equals(s.nodeId()) && reachable.getOrDefault(p.id(), false))
            .count();
    int remaining = members.size() - 1;
    boolean losesQuorum = remaining == 0 || othersReachable <= remaining / 2;
    if (losesQuorum && !force) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "You are attempting to leave the swarm on a node that "
                  + "is participating as a manager. Removing this node leaves "
                  + othersReachable
                  + " managers out of "
                  + remaining
                  + ". Without a Raft quorum your swarm will be inaccessible. The only way to restore a "
                  + "swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to "
                  + "suppress this message.")
          .asRuntimeException();
    }
    if (remaining == 0) {
      return;
    }
    try {
      ManagedChannel ch = certificates.channel(s.advertiseAddr());
      try {
        RaftMembershipGrpc.newBlockingStub(ch)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .leave(RaftLeaveRequest.getDefaultInstance());
      } finally {
        ch.shutdownNow();
      }
    } catch (StatusRuntimeException e) {
      if (!force) {
        throw Status.UNAVAILABLE
            .withDescription(
                "could not leave the Raft group: "
                    + e.getStatus().getDescription()
                    + "; use --force to leave anyway")
            .asRuntimeException();
      }
      LOG.warn(
          "leaving without removing this manager from the Raft group: {}",
          StatusText.brief(e.getStatus()));
    }
  }

  /** A renewed certificate for the cluster API and Raft transport. */
  void useIdentity(NodeIdentity renewed) {
    ManagerNode m = manager;
    if (m != null) {
      m.useIdentity(renewed);
    }
  }

  /**
   * Stops the Raft member and the cluster API (the Raft data stays unless the caller deletes it).
   */
  void stop() {
    ManagerNode m = manager;
    manager = null;
    if (m != null) {
      localApi.useManager(null);
      m.close();
    }
  }
}
