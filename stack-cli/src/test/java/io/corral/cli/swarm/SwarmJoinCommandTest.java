package io.corral.cli.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.JoinRequest;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwarmJoinCommandTest {

  private static final String ADVICE =
      ". Is the address right, is the corral daemon there running as a manager, "
          + "and can this node reach that port (2377/tcp unless changed)?\n";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon = FakeDaemon.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void joinsWithTheTokenAndAddressGiven() {
    Result r = daemon.run("swarm", "join", "--token", "CRLTKN-1-abc-def", "10.0.0.1:2377");

    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("This node joined a swarm as a worker.\n");
    assertThat(daemon.requests(JoinRequest.class))
        .extracting(JoinRequest::getRemoteAddr)
        .containsExactly("10.0.0.1:2377");
  }

  @Test
  void anUnreachableManagerIsNamedWithWhatToCheck() {
    // What the daemon relays when the manager does not answer (once printed as it is).
    daemon.fail(
        "Join",
        Status.UNAVAILABLE.withDescription(
            "cannot reach the manager at 10.77.0.99:2377: io exception: null: /10.77.0.99:2377"));

    Result r = daemon.run("swarm", "join", "--token", "CRLTKN-1-abc-def", "10.77.0.99:2377");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "Error response from daemon: cannot connect to the manager at 10.77.0.99:2377: "
                + "no connection could be made"
                + ADVICE);
  }

  @Test
  void aRefusedConnectionSaysSo() {
    daemon.fail(
        "Join",
        Status.UNAVAILABLE.withDescription(
            "io exception: finishConnect(..) failed: Connection refused: /10.0.0.7:2377"));

    Result r = daemon.run("swarm", "join", "--token", "CRLTKN-1-abc-def", "10.0.0.7");

    // Relayed by the daemon: about the manager, not about this CLI's own daemon socket.
    assertThat(r.err())
        .isEqualTo(
            "Error response from daemon: cannot connect to the manager at 10.0.0.7:2377: "
                + "connection refused"
                + ADVICE);
  }
}
