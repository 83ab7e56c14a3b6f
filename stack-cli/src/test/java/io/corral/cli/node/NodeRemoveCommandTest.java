package io.corral.cli.node;

import static io.corral.cli.FakeDaemon.manager;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.RemoveNodeRequest;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeRemoveCommandTest {

  static final String ALPHA = "4kq8wz1x2c3v4b5n6m7l8k9j0";
  static final String BETA = "9hgf8d7s6a5p4o3i2u1y0t9r8";
  static final String GAMMA = "1abcdefghijklmnopqrstuvwx";
  static final String NOT_DOWN = "node " + BETA + " is not down and can't be removed";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon =
        FakeDaemon.start(dir)
            .self(ALPHA, "10.0.0.1:2377")
            .add(
                manager(ALPHA, "alpha", "10.0.0.1", true),
                worker(BETA, "beta", "10.0.0.2"),
                worker(GAMMA, "gamma", "10.0.0.3"));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  private static RemoveNodeRequest remove(String id, boolean force) {
    return RemoveNodeRequest.newBuilder().setNodeId(id).setForce(force).build();
  }

  @Test
  void removesByHostnameAndPrintsTheArgument() {
    Result r = daemon.run("node", "rm", "beta");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("beta\n");
    assertThat(daemon.requests(RemoveNodeRequest.class)).containsExactly(remove(BETA, false));
    assertThat(daemon.node(BETA)).isNull();
  }

  @Test
  void forceIsSent() {
    Result r = daemon.run("node", "rm", "--force", BETA, "1abc");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(BETA + "\n1abc\n");
    assertThat(daemon.requests(RemoveNodeRequest.class))
        .containsExactly(remove(BETA, true), remove(GAMMA, true));
  }

  @Test
  void shortForceFlagAndRemoveAlias() {
    Result r = daemon.run("node", "remove", "-f", "gamma");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("gamma\n");
    assertThat(daemon.requests(RemoveNodeRequest.class)).containsExactly(remove(GAMMA, true));
  }

  @Test
  void aRefusalIsPrintedAsTheDaemonsError() {
    daemon.fail("RemoveNode", Status.FAILED_PRECONDITION.withDescription(NOT_DOWN));

    Result r = daemon.run("node", "rm", "beta");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("Error response from daemon: " + NOT_DOWN + "\n");
    assertThat(daemon.requests(RemoveNodeRequest.class)).containsExactly(remove(BETA, false));
    assertThat(daemon.node(BETA)).isNotNull();
  }

  @Test
  void goesOnAfterAFailureAndReportsEveryFailureAtTheEnd() {
    daemon.fail(
        "RemoveNode",
        req -> ((RemoveNodeRequest) req).getNodeId().equals(BETA),
        Status.FAILED_PRECONDITION.withDescription(NOT_DOWN));

    Result r = daemon.run("node", "rm", "beta", "nope", "gamma");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("gamma\n");
    assertThat(r.err())
        .isEqualTo("Error response from daemon: " + NOT_DOWN + "\nError: No such node: nope\n");
    assertThat(daemon.requests(RemoveNodeRequest.class))
        .containsExactly(remove(BETA, false), remove(GAMMA, false));
    assertThat(daemon.node(GAMMA)).isNull();
  }

  @Test
  void aStatusWithoutDescriptionShowsItsCode() {
    daemon.fail("RemoveNode", Status.PERMISSION_DENIED);

    Result r = daemon.run("node", "rm", "beta");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error response from daemon: PERMISSION_DENIED\n");
  }
}
