package io.corral.cli.network;

import static io.corral.cli.FakeDaemon.network;
import static io.corral.cli.FakeDaemon.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.RemoveNetworkRequest;
import io.corral.api.Service;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code network rm} and {@code network prune}. */
class NetworkRemoveCommandTest {

  static final String FRONT = "f1ront00000000000000000001";
  static final String BACK = "b2ack000000000000000000002";
  static final String SPARE = "s3pare00000000000000000003";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    Service web = service("web0000000000000000000001", "web", "nginx", 1);
    web =
        web.toBuilder()
            .setSpec(
                web.getSpec().toBuilder()
                    .setTask(
                        web.getSpec().getTask().toBuilder()
                            .addNetworks(NetworkAttachmentConfig.newBuilder().setTarget(FRONT))))
            .build();
    daemon =
        FakeDaemon.start(dir)
            .add(
                network(FRONT, "front", "10.0.1.0/24", 4096),
                network(BACK, "back", "10.0.2.0/24", 4097),
                network(SPARE, "spare", "10.0.3.0/24", 4098))
            .add(web);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void removesEachPrintingItsNameAndReportsEveryFailureAtTheEnd() {
    Result r = daemon.run("network", "rm", "back", "front", "nope", "s3");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("back\ns3\n");
    assertThat(r.err())
        .isEqualTo(
            "Error response from daemon: network front is in use by service web\n"
                + "Error: No such network: nope\n");
    assertThat(daemon.requests(RemoveNetworkRequest.class))
        .extracting(RemoveNetworkRequest::getNetworkId)
        .containsExactly("back", "front", "nope", "s3");
    assertThat(daemon.networks()).extracting(n -> n.getId()).containsExactly(FRONT);
  }

  @Test
  void pruneForcedRemovesOnlyTheNetworksNoServiceUses() {
    Result r = daemon.run("network", "prune", "-f");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("Deleted Networks:\nback\nspare\n");
    assertThat(daemon.networks()).extracting(n -> n.getId()).containsExactly(FRONT);
  }

  @Test
  void pruneAsksAndDoesNothingUnlessTheAnswerIsYes() {
    Result no = daemon.stdin("n\n").run("network", "prune");

    assertThat(no.exitCode()).isZero();
    assertThat(no.out())
        .isEqualTo(
            "WARNING! This will remove all custom networks not used by at least one service.\n"
                + "Are you sure you want to continue? [y/N] ");
    assertThat(daemon.methods()).isEmpty();
    assertThat(daemon.networks()).hasSize(3);

    Result yes = daemon.stdin("y\n").run("network", "prune");

    assertThat(yes.out()).endsWith("[y/N] Deleted Networks:\nback\nspare\n");
    assertThat(daemon.networks()).hasSize(1);
  }
}
