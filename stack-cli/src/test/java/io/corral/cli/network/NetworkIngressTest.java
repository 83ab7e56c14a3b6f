package io.corral.cli.network;

import static io.corral.cli.FakeDaemon.network;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.CreateNetworkRequest;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routing-mesh network in network create, ls and inspect, as docker shows its "ingress". */
class NetworkIngressTest {

  static final String INGRESS = "i1ngress000000000000000001";
  static final String NODE1 = "node1000000000000000000001";
  static final String NODE2 = "node2000000000000000000002";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    Network ingress = network(INGRESS, "ingress", "10.0.0.0/24", 4096);
    ingress =
        ingress.toBuilder()
            .setSpec(
                ingress.getSpec().toBuilder()
                    .setIngress(true)
                    .setAnnotations(
                        ingress.getSpec().getAnnotations().toBuilder()
                            .putLabels("com.docker.swarm.internal", "true")))
            .build();
    daemon =
        FakeDaemon.start(dir)
            .add(ingress)
            .add(
                worker(NODE1, "one", "192.168.0.1").toBuilder()
                    .addAttachments(
                        NetworkAttachment.newBuilder()
                            .setNetwork(ingress)
                            .addAddresses("10.0.0.2/24"))
                    .build(),
                worker(NODE2, "two", "192.168.0.2"));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void createIngressAsksForTheRoutingMeshNetwork() {
    Result r =
        daemon.run(
            "network",
            "create",
            "--driver",
            "overlay",
            "--ingress",
            "--subnet",
            "10.11.0.0/16",
            "mesh");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    CreateNetworkRequest sent = daemon.requests(CreateNetworkRequest.class).get(0);
    assertThat(sent.getSpec().getIngress()).isTrue();
    assertThat(sent.getSpec().getIpam().getConfigs(0).getSubnet()).isEqualTo("10.11.0.0/16");
  }

  @Test
  void withoutTheFlagANetworkIsNotTheIngressOne() {
    daemon.run("network", "create", "front");

    assertThat(daemon.requests(CreateNetworkRequest.class).get(0).getSpec().getIngress()).isFalse();
  }

  @Test
  void listShowsItAsDockerDoes() {
    Result r = daemon.run("network", "ls");

    assertThat(r.outLines())
        .containsExactly(
            "NETWORK ID     NAME      DRIVER    SCOPE", "i1ngress0000   ingress   overlay   swarm");
  }

  @Test
  void inspectSaysIngressAndListsTheNodesEndpointsAndPeers() {
    Result r =
        daemon.run(
            "network",
            "inspect",
            "-f",
            "{{.Ingress}} {{json .Containers}} {{json .Peers}}",
            "ingress");

    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "true {\"ingress-sbox-"
                + NODE1
                + "\":{\"Name\":\"ingress-endpoint\",\"MacAddress\":\"02:42:0a:00:00:02\","
                + "\"IPv4Address\":\"10.0.0.2/24\",\"IPv6Address\":\"\"}} "
                + "[{\"Name\":\"one\",\"IP\":\"192.168.0.1\"}]\n");
  }
}
