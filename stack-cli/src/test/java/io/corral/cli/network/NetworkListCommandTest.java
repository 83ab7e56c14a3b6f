package io.corral.cli.network;

import static io.corral.cli.FakeDaemon.network;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Network;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkListCommandTest {

  static final String FRONT = "f1ront00000000000000000001";
  static final String BACK = "b2ack000000000000000000002";
  static final String FRONTEND = "f3rontend00000000000000003";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    Network front = network(FRONT, "front", "10.0.1.0/24", 4096);
    front =
        front.toBuilder()
            .setSpec(
                front.getSpec().toBuilder()
                    .setAnnotations(
                        front.getSpec().getAnnotations().toBuilder()
                            .putLabels("tier", "web")
                            .putLabels("env", "prod")))
            .build();
    daemon =
        FakeDaemon.start(dir)
            .add(
                front,
                network(BACK, "back", "10.0.2.0/24", 4097),
                network(FRONTEND, "frontend", "10.0.3.0/24", 4098));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void printsDockersColumnsSortedByName() {
    Result r = daemon.run("network", "ls");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "NETWORK ID     NAME       DRIVER    SCOPE",
            "b2ack0000000   back       overlay   swarm",
            "f1ront000000   front      overlay   swarm",
            "f3rontend000   frontend   overlay   swarm");
  }

  @Test
  void noTruncPrintsWholeIds() {
    Result r = daemon.run("network", "ls", "--no-trunc", "-q");

    assertThat(r.out()).isEqualTo(BACK + "\n" + FRONT + "\n" + FRONTEND + "\n");
  }

  @Test
  void quietPrintsShortIds() {
    Result r = daemon.run("network", "ls", "-q");

    assertThat(r.out()).isEqualTo("b2ack0000000\nf1ront000000\nf3rontend000\n");
  }

  @Test
  void nameMatchesPartOfTheNameIdAPrefixAndLabelsTheirValue() {
    assertThat(daemon.run("network", "ls", "-q", "-f", "name=ront").out())
        .isEqualTo("f1ront000000\nf3rontend000\n");
    assertThat(daemon.run("network", "ls", "-q", "--filter", "id=b2").out())
        .isEqualTo("b2ack0000000\n");
    assertThat(daemon.run("network", "ls", "-q", "-f", "label=tier").out())
        .isEqualTo("f1ront000000\n");
    assertThat(daemon.run("network", "ls", "-q", "-f", "label=tier=db").out()).isEmpty();
    assertThat(daemon.run("network", "ls", "-q", "-f", "driver=overlay", "-f", "name=back").out())
        .isEqualTo("b2ack0000000\n");
    assertThat(daemon.run("network", "ls", "-q", "-f", "driver=bridge").out()).isEmpty();
  }

  @Test
  void anUnknownFilterIsRefused() {
    Result r = daemon.run("network", "ls", "-f", "colour=red");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error response from daemon: invalid filter 'colour'\n");
  }

  @Test
  void formatTemplatesAndJsonSeeDockersFields() {
    Result table =
        daemon.run("network", "ls", "-f", "name=front", "--format", "table {{.Name}}\t{{.Labels}}");
    Result json = daemon.run("network", "ls", "-f", "name=back", "--format", "json");

    assertThat(table.outLines())
        .containsExactly("NAME       LABELS", "front      env=prod,tier=web", "frontend   ");
    assertThat(json.out())
        .isEqualTo(
            "{\"CreatedAt\":\"2024-01-02 03:04:05.123456789 +0000 UTC\",\"Driver\":\"overlay\","
                + "\"ID\":\"b2ack0000000\",\"IPv6\":false,\"Internal\":false,\"Labels\":\"\","
                + "\"Name\":\"back\",\"Scope\":\"swarm\"}\n");
  }
}
