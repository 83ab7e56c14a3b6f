package io.corral.cli.node;

import static io.corral.cli.FakeDaemon.NODE_VERSION;
import static io.corral.cli.FakeDaemon.manager;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Node;
import io.corral.api.NodeRole;
import io.corral.api.UpdateNodeRequest;
import io.corral.api.Version;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodePromoteDemoteCommandTest {

  static final String ALPHA = "4kq8wz1x2c3v4b5n6m7l8k9j0";
  static final String BETA = "9hgf8d7s6a5p4o3i2u1y0t9r8";
  static final String GAMMA = "1abcdefghijklmnopqrstuvwx";

  @TempDir Path dir;
  FakeDaemon daemon;
  Node alpha;
  Node beta;
  Node gamma;

  @BeforeEach
  void start() throws Exception {
    alpha = manager(ALPHA, "alpha", "10.0.0.1", true);
    beta = worker(BETA, "beta", "10.0.0.2");
    Node g = worker(GAMMA, "gamma", "10.0.0.3");
    // A node written more often than the others, with labels that must survive a role change.
    gamma =
        g.toBuilder()
            .setMeta(g.getMeta().toBuilder().setVersion(42))
            .setSpec(
                g.getSpec().toBuilder()
                    .setAnnotations(
                        g.getSpec().getAnnotations().toBuilder().putLabels("zone", "b")))
            .build();
    daemon = FakeDaemon.start(dir).self(ALPHA, "10.0.0.1:2377").add(alpha, beta, gamma);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void promoteSendsTheManagerRoleWithTheVersionRead() {
    Result r = daemon.run("node", "promote", "beta");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("Node beta promoted to a manager in the swarm.\n");
    assertThat(daemon.requests(UpdateNodeRequest.class))
        .containsExactly(
            UpdateNodeRequest.newBuilder()
                .setNodeId(BETA)
                .setNodeVersion(Version.newBuilder().setIndex(NODE_VERSION))
                .setSpec(beta.getSpec().toBuilder().setDesiredRole(NodeRole.MANAGER))
                .build());
    assertThat(daemon.node(BETA).getSpec().getDesiredRole()).isEqualTo(NodeRole.MANAGER);
  }

  @Test
  void promoteOfSeveralNodesKeepsTheRestOfEachSpec() {
    Result r = daemon.run("node", "promote", GAMMA, "beta");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "Node " + GAMMA + " promoted to a manager in the swarm.",
            "Node beta promoted to a manager in the swarm.");
    assertThat(daemon.requests(UpdateNodeRequest.class))
        .containsExactly(
            UpdateNodeRequest.newBuilder()
                .setNodeId(GAMMA)
                .setNodeVersion(Version.newBuilder().setIndex(42))
                .setSpec(gamma.getSpec().toBuilder().setDesiredRole(NodeRole.MANAGER))
                .build(),
            UpdateNodeRequest.newBuilder()
                .setNodeId(BETA)
                .setNodeVersion(Version.newBuilder().setIndex(NODE_VERSION))
                .setSpec(beta.getSpec().toBuilder().setDesiredRole(NodeRole.MANAGER))
                .build());
    assertThat(daemon.node(GAMMA).getSpec().getAnnotations().getLabelsMap())
        .containsEntry("zone", "b");
  }

  @Test
  void promotingAManagerChangesNothing() {
    Result r = daemon.run("node", "promote", "alpha", "beta");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "Node " + ALPHA + " is already a manager.",
            "Node beta promoted to a manager in the swarm.");
    assertThat(daemon.requests(UpdateNodeRequest.class))
        .extracting(UpdateNodeRequest::getNodeId)
        .containsExactly(BETA);
  }

  @Test
  void promoteStopsAtTheFirstUnknownNode() {
    Result r = daemon.run("node", "promote", "beta", "nope", "gamma");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("Node beta promoted to a manager in the swarm.\n");
    assertThat(r.err()).isEqualTo("Error: No such node: nope\n");
    assertThat(daemon.requests(UpdateNodeRequest.class))
        .extracting(UpdateNodeRequest::getNodeId)
        .containsExactly(BETA);
  }

  @Test
  void aRefusedUpdateIsPrintedAsTheDaemonsError() {
    daemon.fail("UpdateNode", Status.FAILED_PRECONDITION.withDescription("update out of sequence"));

    Result r = daemon.run("node", "promote", "beta");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("Error response from daemon: update out of sequence\n");
  }

  @Test
  void demoteSendsTheWorkerRole() {
    Result r = daemon.run("node", "demote", "self");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("Manager self demoted in the swarm.\n");
    assertThat(daemon.requests(UpdateNodeRequest.class))
        .containsExactly(
            UpdateNodeRequest.newBuilder()
                .setNodeId(ALPHA)
                .setNodeVersion(Version.newBuilder().setIndex(NODE_VERSION))
                .setSpec(alpha.getSpec().toBuilder().setDesiredRole(NodeRole.WORKER))
                .build());
    assertThat(daemon.node(ALPHA).getSpec().getDesiredRole()).isEqualTo(NodeRole.WORKER);
  }

  @Test
  void demotingAWorkerChangesNothing() {
    Result r = daemon.run("node", "demote", "beta");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("Node " + BETA + " is already a worker.\n");
    assertThat(daemon.requests(UpdateNodeRequest.class)).isEmpty();
  }

  @Test
  void promoteAndDemoteNeedANode() {
    Result promote = daemon.run("node", "promote");
    Result demote = daemon.run("node", "demote");

    assertThat(promote.exitCode()).isEqualTo(2);
    assertThat(promote.err()).contains("Missing required parameter");
    assertThat(demote.exitCode()).isEqualTo(2);
    assertThat(daemon.calls()).isEmpty();
  }
}
