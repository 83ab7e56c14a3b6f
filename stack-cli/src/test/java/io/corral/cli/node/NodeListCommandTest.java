package io.corral.cli.node;

import static io.corral.cli.FakeDaemon.manager;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.ListNodesRequest;
import io.corral.api.Node;
import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.RaftMemberStatus;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeListCommandTest {

  // Docker-style 25-character ids; the hostnames sort naturally as node-1, node-2, node-3, node-10.
  static final String LEADER = "4kq8wz1x2c3v4b5n6m7l8k9j0";
  static final String REACHABLE = "9hgf8d7s6a5p4o3i2u1y0t9r8";
  static final String WORKER = "1abcdefghijklmnopqrstuvwx";
  static final String UNREACHABLE = "7zzzzzzzzzzzzzzzzzzzzzzzz";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon = FakeDaemon.start(dir).self(LEADER, "10.0.0.10:2377");
    Node unreachable = manager(UNREACHABLE, "node-3", "10.0.0.3", false);
    Node w = worker(WORKER, "node-1", "10.0.0.1");
    daemon.add(
        manager(LEADER, "node-10", "10.0.0.10", true),
        manager(REACHABLE, "node-2", "10.0.0.2", false),
        w.toBuilder()
            .setSpec(w.getSpec().toBuilder().setAvailability(NodeSpec.Availability.DRAIN))
            .setDescription(
                w.getDescription().toBuilder()
                    .setEngine(
                        w.getDescription().getEngine().toBuilder()
                            .setEngineVersion("20.10.24")
                            .putLabels("disk", "ssd")))
            .build(),
        unreachable.toBuilder()
            .setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.DOWN))
            .setManagerStatus(
                unreachable.getManagerStatus().toBuilder()
                    .setReachability(RaftMemberStatus.Reachability.UNREACHABLE))
            .build());
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void printsDockersTableSortedByHostnameWithTheSelfNodeStarred() {
    Result r = daemon.run("node", "ls");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION",
            "1abcdefghijklmnopqrstuvwx     node-1     Ready     Drain                           20.10.24",
            "9hgf8d7s6a5p4o3i2u1y0t9r8     node-2     Ready     Active         Reachable        24.0.7",
            "7zzzzzzzzzzzzzzzzzzzzzzzz     node-3     Down      Active         Unreachable      24.0.7",
            "4kq8wz1x2c3v4b5n6m7l8k9j0 *   node-10    Ready     Active         Leader           24.0.7");
    assertThat(r.out()).endsWith("24.0.7\n");
    // Unfiltered: the daemon was sent empty filters.
    assertThat(daemon.requests(ListNodesRequest.class))
        .containsExactly(
            ListNodesRequest.newBuilder()
                .setFilters(ListNodesRequest.Filters.getDefaultInstance())
                .build());
  }

  @Test
  void listIsAnAliasOfLs() {
    assertThat(daemon.run("node", "list").outLines()).hasSize(5);
  }

  @Test
  void quietPrintsOnlyTheIdsInHostnameOrder() {
    Result r = daemon.run("node", "ls", "-q");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(WORKER + "\n" + REACHABLE + "\n" + UNREACHABLE + "\n" + LEADER + "\n");
    assertThat(r.err()).isEmpty();
    // Nothing to star, so the daemon is not asked who it is.
    assertThat(daemon.methods()).containsExactly("ListNodes");
  }

  @Test
  void formatJsonPrintsOneObjectPerNodeWithSortedKeys() {
    Result r = daemon.run("node", "ls", "--format", "json");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "{\"Availability\":\"Drain\",\"EngineVersion\":\"20.10.24\",\"Hostname\":\"node-1\",\"ID\":\""
                + WORKER
                + "\",\"ManagerStatus\":\"\",\"Self\":false,\"Status\":\"Ready\"}",
            "{\"Availability\":\"Active\",\"EngineVersion\":\"24.0.7\",\"Hostname\":\"node-2\",\"ID\":\""
                + REACHABLE
                + "\",\"ManagerStatus\":\"Reachable\",\"Self\":false,\"Status\":\"Ready\"}",
            "{\"Availability\":\"Active\",\"EngineVersion\":\"24.0.7\",\"Hostname\":\"node-3\",\"ID\":\""
                + UNREACHABLE
                + "\",\"ManagerStatus\":\"Unreachable\",\"Self\":false,\"Status\":\"Down\"}",
            "{\"Availability\":\"Active\",\"EngineVersion\":\"24.0.7\",\"Hostname\":\"node-10\",\"ID\":\""
                + LEADER
                + "\",\"ManagerStatus\":\"Leader\",\"Self\":true,\"Status\":\"Ready\"}");
  }

  @Test
  void formatTemplatePrintsOneLinePerNode() {
    Result r = daemon.run("node", "ls", "--format", "{{.Hostname}}:{{.ManagerStatus}}");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly("node-1:", "node-2:Reachable", "node-3:Unreachable", "node-10:Leader");
  }

  @Test
  void roleFilterIsSentToTheDaemon() {
    Result r = daemon.run("node", "ls", "-f", "role=manager", "-q");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(REACHABLE + "\n" + UNREACHABLE + "\n" + LEADER + "\n");
    List<ListNodesRequest> sent = daemon.requests(ListNodesRequest.class);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getFilters())
        .isEqualTo(ListNodesRequest.Filters.newBuilder().addRoles(NodeRole.MANAGER).build());
  }

  @Test
  void workerRoleFilterIsCaseInsensitive() {
    Result r = daemon.run("node", "ls", "--filter", "role=Worker", "-q");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(WORKER + "\n");
    assertThat(daemon.requests(ListNodesRequest.class).get(0).getFilters().getRolesList())
        .containsExactly(NodeRole.WORKER);
  }

  @Test
  void nameIdAndNodeLabelFiltersAreSentAsThePrefixAndLabelFilters() {
    Result r =
        daemon.run(
            "node",
            "ls",
            "-f",
            "name=node-1",
            "-f",
            "id=4kq",
            "-f",
            "node.label=zone=a",
            "-f",
            "membership=accepted");

    assertThat(r.exitCode()).isZero();
    assertThat(daemon.requests(ListNodesRequest.class).get(0).getFilters())
        .isEqualTo(
            ListNodesRequest.Filters.newBuilder()
                .addNamePrefixes("node-1")
                .addIdPrefixes("4kq")
                .putLabels("zone", "a")
                .addMemberships(NodeSpec.Membership.ACCEPTED)
                .build());
  }

  @Test
  void engineLabelFilterIsAppliedByTheCli() {
    Result r = daemon.run("node", "ls", "-f", "label=disk=ssd", "-q");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(WORKER + "\n");
    assertThat(daemon.requests(ListNodesRequest.class).get(0).getFilters().getLabelsMap())
        .isEqualTo(Map.of());
  }

  @Test
  void anUnknownFilterKeyFailsBeforeAskingTheDaemon() {
    Result r = daemon.run("node", "ls", "-f", "colour=red");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("Error response from daemon: invalid filter 'colour'\n");
    assertThat(daemon.calls()).isEmpty();
  }

  @Test
  void anInvalidRoleFails() {
    Result r = daemon.run("node", "ls", "-f", "role=boss");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("Error response from daemon: Invalid role filter: 'boss'\n");
    assertThat(daemon.calls()).isEmpty();
  }

  @Test
  void aFilterWithoutEqualsSignFails() {
    Result r = daemon.run("node", "ls", "-f", "role");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "invalid argument \"role\" for \"-f, --filter\" flag: "
                + "bad format of filter (expected name=value)\n");
    assertThat(daemon.calls()).isEmpty();
  }

  @Test
  void noMatchingNodesPrintsOnlyTheHeader() {
    Result r = daemon.run("node", "ls", "-f", "name=nothing");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "ID        HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n");
    assertThat(daemon.methods()).containsExactly("ListNodes");
  }

  @Test
  void aDaemonThatDoesNotAnswerIsReportedWithItsSocket() throws Exception {
    daemon.close();

    Result r = daemon.run("node", "ls", "--socket", daemon.socket().toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "Cannot connect to the Corral daemon at unix://"
                + daemon.socket()
                + ". Is the corral daemon running?\n");
  }

  @Test
  void aDaemonErrorIsPrintedLikeDocker() {
    daemon.fail(
        "ListNodes",
        io.grpc.Status.FAILED_PRECONDITION.withDescription(
            "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state."));

    Result r = daemon.run("node", "ls");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "Error response from daemon: This node is not a swarm manager. Worker nodes "
                + "can't be used to view or modify cluster state.\n");
  }
}
