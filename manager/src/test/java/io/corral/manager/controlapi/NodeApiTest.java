package io.corral.manager.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.Cluster;
import io.corral.api.GetNodeRequest;
import io.corral.api.ListNodesRequest;
import io.corral.api.ManagerStatus;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.RaftMemberStatus;
import io.corral.api.RemoveNodeRequest;
import io.corral.api.UpdateNodeRequest;
import io.corral.api.Version;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.RaftView;
import io.corral.manager.store.StorePeer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeApiTest {

  private final InMemoryStore store = new InMemoryStore();
  private final FakeRaft raft = new FakeRaft();
  private final NodeApi api = new NodeApi(store, raft);

  /** A Raft group whose leader and reachability the test decides. */
  static final class FakeRaft implements RaftView {
    final List<StorePeer> members = new ArrayList<>();
    final Map<String, Boolean> reachable = new HashMap<>();
    String leader;

    @Override
    public String selfId() {
      return "m1";
    }

    @Override
    public boolean isLeader() {
      return "m1".equals(leader);
    }

    @Override
    public Optional<String> leaderId() {
      return Optional.ofNullable(leader);
    }

    @Override
    public List<StorePeer> members() {
      return members;
    }

    @Override
    public Map<String, Boolean> reachability() {
      return reachable;
    }
  }

  @BeforeEach
  void cluster() {
    store.update(
        tx -> {
          tx.create(Cluster.newBuilder().setId("c1").build());
          tx.create(manager("m1", "host-a"));
          tx.create(manager("m2", "host-b"));
          tx.create(manager("m3", "host-c"));
          tx.create(worker("w1", "host-d", NodeStatus.State.READY));
          tx.create(worker("w2", "host-e", NodeStatus.State.DOWN));
        });
    for (String m : List.of("m1", "m2", "m3")) {
      raft.members.add(new StorePeer(m, "10.0.0.1:2378"));
      raft.reachable.put(m, true);
    }
    raft.leader = "m2";
  }

  private static Node manager(String id, String host) {
    return Node.newBuilder()
        .setId(id)
        .setRole(NodeRole.MANAGER)
        .setSpec(NodeSpec.newBuilder().setDesiredRole(NodeRole.MANAGER))
        .setDescription(NodeDescription.newBuilder().setHostname(host))
        .setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.READY))
        .setManagerStatus(ManagerStatus.newBuilder().setApiAddr("10.0.0.1:2377"))
        .build();
  }

  private static Node worker(String id, String host, NodeStatus.State state) {
    return Node.newBuilder()
        .setId(id)
        .setRole(NodeRole.WORKER)
        .setSpec(NodeSpec.newBuilder().setDesiredRole(NodeRole.WORKER))
        .setDescription(NodeDescription.newBuilder().setHostname(host))
        .setStatus(NodeStatus.newBuilder().setState(state))
        .build();
  }

  @Test
  void listShowsTheLeaderAndWhichManagersAreReachable() {
    raft.reachable.put("m3", false);
    Map<String, Node> nodes = new HashMap<>();
    api.list(ListNodesRequest.getDefaultInstance()).forEach(n -> nodes.put(n.getId(), n));
    assertThat(nodes).hasSize(5);
    assertThat(nodes.get("m2").getManagerStatus().getLeader()).isTrue();
    assertThat(nodes.get("m1").getManagerStatus().getLeader()).isFalse();
    assertThat(nodes.get("m1").getManagerStatus().getReachability())
        .isEqualTo(RaftMemberStatus.Reachability.REACHABLE);
    assertThat(nodes.get("m3").getManagerStatus().getReachability())
        .isEqualTo(RaftMemberStatus.Reachability.UNREACHABLE);
    assertThat(nodes.get("w1").hasManagerStatus()).isFalse();
  }

  @Test
  void listFiltersByRoleAndName() {
    assertThat(
            api.list(
                ListNodesRequest.newBuilder()
                    .setFilters(ListNodesRequest.Filters.newBuilder().addRoles(NodeRole.WORKER))
                    .build()))
        .extracting(Node::getId)
        .containsExactly("w1", "w2");
    assertThat(
            api.list(
                ListNodesRequest.newBuilder()
                    .setFilters(ListNodesRequest.Filters.newBuilder().addNames("host-b"))
                    .build()))
        .extracting(Node::getId)
        .containsExactly("m2");
  }

  @Test
  void getUpdateAndRemoveTakeAHostnameOrIdPrefixAsDockersDaemonDoes() {
    assertThat(api.get(GetNodeRequest.newBuilder().setNodeId("host-d").build()).getId())
        .isEqualTo("w1");
    Node w1 = api.get(GetNodeRequest.newBuilder().setNodeId("w1").build());
    assertThat(
            api.update(
                    UpdateNodeRequest.newBuilder()
                        .setNodeId("host-d")
                        .setSpec(
                            w1.getSpec().toBuilder().setAvailability(NodeSpec.Availability.PAUSE))
                        .build())
                .getId())
        .isEqualTo("w1");
    api.remove(RemoveNodeRequest.newBuilder().setNodeId("host-e").build());
    Optional<Node> removed = store.view(tx -> tx.get(ObjectKind.NODE, "w2"));
    assertThat(removed).isEmpty();
    assertThatThrownBy(() -> api.get(GetNodeRequest.newBuilder().setNodeId("m").build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("node m is ambiguous (3 matches found)");
  }

  @Test
  void updateWithAStaleVersionIsRefusedAndChangesNothing() {
    Node w1 = api.get(GetNodeRequest.newBuilder().setNodeId("w1").build());
    UpdateNodeRequest drain =
        UpdateNodeRequest.newBuilder()
            .setNodeId("w1")
            .setNodeVersion(Version.newBuilder().setIndex(w1.getMeta().getVersion()))
            .setSpec(w1.getSpec().toBuilder().setAvailability(NodeSpec.Availability.DRAIN))
            .build();
    assertThat(api.update(drain).getSpec().getAvailability())
        .isEqualTo(NodeSpec.Availability.DRAIN);
    assertThatThrownBy(() -> api.update(drain.toBuilder().setSpec(w1.getSpec()).build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("out of sequence");
    assertThat(
            api.get(GetNodeRequest.newBuilder().setNodeId("w1").build())
                .getSpec()
                .getAvailability())
        .isEqualTo(NodeSpec.Availability.DRAIN);
  }

  @Test
  void demotingAManagerIsRefusedWhenTheRestWouldLoseQuorum() {
    raft.reachable.put("m3", false);
    Node m1 = api.get(GetNodeRequest.newBuilder().setNodeId("m1").build());
    assertThatThrownBy(
            () ->
                api.update(
                    UpdateNodeRequest.newBuilder()
                        .setNodeId("m1")
                        .setSpec(m1.getSpec().toBuilder().setDesiredRole(NodeRole.WORKER))
                        .build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("loss of quorum");
  }

  @Test
  void removingAReadyNodeNeedsForceAndBlacklistsItsCertificate() {
    assertThatThrownBy(() -> api.remove(RemoveNodeRequest.newBuilder().setNodeId("w1").build()))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("--force");
    api.remove(RemoveNodeRequest.newBuilder().setNodeId("w1").setForce(true).build());
    api.remove(RemoveNodeRequest.newBuilder().setNodeId("w2").build());
    List<Node> left = store.view(tx -> tx.list(ObjectKind.NODE));
    assertThat(left).extracting(Node::getId).containsExactly("m1", "m2", "m3");
    assertThat(
            store
                .view(tx -> tx.get(ObjectKind.CLUSTER, "c1"))
                .orElseThrow()
                .getBlacklistedCertificatesMap())
        .containsOnlyKeys("w1", "w2");
  }

  @Test
  void aManagerCannotBeRemovedBeforeItIsDemoted() {
    assertThatThrownBy(
            () -> api.remove(RemoveNodeRequest.newBuilder().setNodeId("m3").setForce(true).build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("must be demoted");
  }
}
