package io.corral.cli.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Annotations;
import io.corral.api.CreateNetworkRequest;
import io.corral.api.Driver;
import io.corral.api.IPAMConfig;
import io.corral.api.IPAMOptions;
import io.corral.api.NetworkSpec;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkCreateCommandTest {

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
  void sendsEveryFlagAndPrintsTheId() {
    Result r =
        daemon.run(
            "network",
            "create",
            "-d",
            "overlay",
            "--subnet",
            "10.0.9.0/24",
            "--gateway",
            "10.0.9.254",
            "--ip-range",
            "10.0.9.128/25",
            "--attachable",
            "--internal",
            "--label",
            "tier=front",
            "--label",
            "pci",
            "front");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("net0000000000000000000001\n");
    assertThat(daemon.requests(CreateNetworkRequest.class))
        .containsExactly(
            CreateNetworkRequest.newBuilder()
                .setSpec(
                    NetworkSpec.newBuilder()
                        .setAnnotations(
                            Annotations.newBuilder()
                                .setName("front")
                                .putLabels("tier", "front")
                                .putLabels("pci", ""))
                        .setDriverConfig(Driver.newBuilder().setName("overlay"))
                        .setAttachable(true)
                        .setInternal(true)
                        .setIpam(
                            IPAMOptions.newBuilder()
                                .addConfigs(
                                    IPAMConfig.newBuilder()
                                        .setFamily(IPAMConfig.AddressFamily.IPV4)
                                        .setSubnet("10.0.9.0/24")
                                        .setGateway("10.0.9.254")
                                        .setRange("10.0.9.128/25"))))
                .build());
  }

  @Test
  void theDriverDefaultsToOverlayAndNoSubnetLeavesIpamToTheManager() {
    Result r = daemon.run("network", "create", "back");

    assertThat(r.exitCode()).isZero();
    NetworkSpec sent = daemon.requests(CreateNetworkRequest.class).get(0).getSpec();
    assertThat(sent.getDriverConfig().getName()).isEqualTo("overlay");
    assertThat(sent.hasIpam()).isFalse();
  }

  @Test
  void aGatewayWithoutSubnetIsRefusedBeforeAnyCall() {
    Result r = daemon.run("network", "create", "--gateway", "10.0.0.1", "front");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "--gateway: every ip-range or gateway must have a corresponding subnet (--subnet)\n");
    assertThat(daemon.methods()).isEmpty();
  }

  @Test
  void malformedAddressesNameTheirFlag() {
    Result subnet = daemon.run("network", "create", "--subnet", "10.0.300.0/24", "front");
    Result gateway =
        daemon.run("network", "create", "--subnet", "10.0.3.0/24", "--gateway", "x", "front");
    Result range =
        daemon.run(
            "network", "create", "--subnet", "10.0.3.0/24", "--ip-range", "10.0.3.0", "front");

    assertThat(subnet.err())
        .isEqualTo(
            "invalid argument \"10.0.300.0/24\" for \"--subnet\" flag: invalid CIDR address: "
                + "10.0.300.0/24\n");
    assertThat(gateway.err())
        .isEqualTo("invalid argument \"x\" for \"--gateway\" flag: invalid IP address: x\n");
    assertThat(range.err())
        .isEqualTo(
            "invalid argument \"10.0.3.0\" for \"--ip-range\" flag: invalid CIDR address: "
                + "10.0.3.0\n");
    assertThat(daemon.methods()).isEmpty();
  }

  @Test
  void theManagersRefusalIsPrintedAsDockerDoes() {
    daemon.fail(
        "CreateNetwork",
        Status.INVALID_ARGUMENT.withDescription(
            "--subnet: 10.0.1.0/24 overlaps network \"front\" (10.0.1.0/24)"));

    Result r = daemon.run("network", "create", "--subnet", "10.0.1.0/24", "back");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "Error response from daemon: --subnet: 10.0.1.0/24 overlaps network \"front\" "
                + "(10.0.1.0/24)\n");
  }
}
