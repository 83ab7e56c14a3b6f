package io.corral.manager.membership;

import io.corral.api.ManagerStatus;
import io.corral.api.Node;
import io.corral.api.NodeRole;
import io.corral.api.RaftJoinRequest;
import io.corral.api.RaftJoinResponse;
import io.corral.api.RaftLeaveRequest;
import io.corral.api.RaftLeaveResponse;
import io.corral.api.RaftMember;
import io.corral.api.RaftMembersRequest;
import io.corral.api.RaftMembersResponse;
import io.corral.api.RaftMembershipGrpc;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.RaftView;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.StorePeer;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a node holding a manager certificate join or leave the Raft group. The group change itself
 * is a Ratis configuration change made through {@link GroupMembership}.
 */
public final class MembershipService extends RaftMembershipGrpc.RaftMembershipImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(MembershipService.class);

  /** Changes the Raft group; implemented by the store. */
  public interface GroupMembership {
    void add(StorePeer peer);

    void remove(String id);
  }

  private final String clusterId;
  private final Store store;
  private final RaftView raft;
  private final GroupMembership group;
  private final Supplier<String> callerNodeId;

  public MembershipService(
      String clusterId,
      Store store,
      RaftView raft,
      GroupMembership group,
      Supplier<String> callerNodeId) {
    this.clusterId = clusterId;
    this.store = store;
    this.raft = raft;
    this.group = group;
    this.callerNodeId = callerNodeId;
  }

  @Override
  public void members(RaftMembersRequest request, StreamObserver<RaftMembersResponse> out) {
    try {
      out.onNext(
          RaftMembersResponse.newBuilder()
              .setClusterId(clusterId)
              .addAllMembers(members())
              .addAllManagerAddrs(
                  store
                      .view(tx -> tx.find(ObjectKind.NODE, n -> n.getRole() == NodeRole.MANAGER))
                      .stream()
                      .map(n -> n.getManagerStatus().getApiAddr())
                      .filter(a -> !a.isEmpty())
                      .toList())
              .build());
      out.onCompleted();
    } catch (RuntimeException e) {
      out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void join(RaftJoinRequest request, StreamObserver<RaftJoinResponse> out) {
    String nodeId = callerNodeId.get();
    try {
      Node node =
          store
              .view(tx -> tx.get(ObjectKind.NODE, nodeId))
              .orElseThrow(
                  () ->
                      Status.PERMISSION_DENIED
                          .withDescription("node " + nodeId + " is not part of this cluster")
                          .asRuntimeException());
      if (node.getSpec().getDesiredRole() != NodeRole.MANAGER) {
        throw Status.PERMISSION_DENIED
            .withDescription("node " + nodeId + " is not meant to be a manager")
            .asRuntimeException();
      }
      StorePeer peer = new StorePeer(nodeId, request.getRaftAddr());
      // Record the manager's addresses first, so every node learns where the new manager answers.
      store.update(
          tx -> {
            Node n = tx.get(ObjectKind.NODE, nodeId).orElseThrow();
            tx.update(
                n.toBuilder()
                    .setRole(NodeRole.MANAGER)
                    .setManagerStatus(
                        ManagerStatus.newBuilder()
                            .setAddr(request.getRaftAddr())
                            .setApiAddr(request.getApiAddr()))
                    .build());
          });
      if (raft.members().stream().noneMatch(m -> m.id().equals(nodeId))) {
        LOG.info("adding manager {} at {} to the Raft group", nodeId, request.getRaftAddr());
        group.add(peer);
      }
      out.onNext(RaftJoinResponse.newBuilder().addAllMembers(members()).build());
      out.onCompleted();
    } catch (io.grpc.StatusRuntimeException e) {
      out.onError(e);
    } catch (StoreException | IllegalArgumentException e) {
      out.onError(
          Status.UNAVAILABLE
              .withDescription("could not add manager " + nodeId + ": " + e.getMessage())
              .asRuntimeException());
    }
  }

  @Override
  public void leave(RaftLeaveRequest request, StreamObserver<RaftLeaveResponse> out) {
    String nodeId = callerNodeId.get();
    try {
      if (raft.members().stream().anyMatch(m -> m.id().equals(nodeId))) {
        group.remove(nodeId);
      }
      out.onNext(RaftLeaveResponse.getDefaultInstance());
      out.onCompleted();
    } catch (StoreException e) {
      out.onError(
          Status.UNAVAILABLE
              .withDescription("could not remove manager " + nodeId + ": " + e.getMessage())
              .asRuntimeException());
    }
  }

  private List<RaftMember> members() {
    return raft.members().stream()
        .map(p -> RaftMember.newBuilder().setNodeId(p.id()).setAddr(p.address()).build())
        .toList();
  }
}
