package io.corral.cli.service;

import static io.corral.cli.FakeDaemon.network;
import static io.corral.cli.FakeDaemon.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.CreateServiceRequest;
import io.corral.api.Endpoint;
import io.corral.api.EndpointSpec;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.UpdateServiceRequest;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --network}, {@code --network-add/--network-rm} and {@code --endpoint-mode} of service
 * create and update, and how service inspect shows networks.
 */
class ServiceNetworkFlagsTest {

  static final String WEB = "web00000000000000000000001";
  static final String FRONT = "f1ront00000000000000000001";
  static final String BACK = "b2ack000000000000000000002";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    Service web = service(WEB, "web", "nginx", 1);
    web =
        web.toBuilder()
            .setSpec(
                web.getSpec().toBuilder()
                    .setTask(
                        web.getSpec().getTask().toBuilder()
                            .addNetworks(
                                NetworkAttachmentConfig.newBuilder()
                                    .setTarget(FRONT)
                                    .addAliases("www"))))
            .setEndpoint(
                Endpoint.newBuilder()
                    .addVirtualIps(
                        Endpoint.VirtualIP.newBuilder().setNetworkId(FRONT).setAddr("10.0.1.2/24")))
            .build();
    daemon =
        FakeDaemon.start(dir)
            .add(
                network(FRONT, "front", "10.0.1.0/24", 4096),
                network(BACK, "back", "10.0.2.0/24", 4097))
            .add(web);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  private ServiceSpec created() {
    return daemon.requests(CreateServiceRequest.class).get(0).getSpec();
  }

  private ServiceSpec updated() {
    return daemon.requests(UpdateServiceRequest.class).get(0).getSpec();
  }

  @Test
  void createTakesNamesAndDockersLongSyntaxIntoTheTaskTemplate() {
    Result r =
        daemon.run(
            "service",
            "create",
            "-d",
            "--network",
            "front",
            "--network",
            "name=back,alias=db,alias=primary,driver-opt=com.example=1",
            "--endpoint-mode",
            "dnsrr",
            "postgres");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(created().getTask().getNetworksList())
        .containsExactly(
            NetworkAttachmentConfig.newBuilder().setTarget("front").build(),
            NetworkAttachmentConfig.newBuilder()
                .setTarget("back")
                .addAliases("db")
                .addAliases("primary")
                .putDriverAttachmentOpts("com.example", "1")
                .build());
    assertThat(created().getNetworksList()).isEmpty();
    assertThat(created().getEndpoint().getMode()).isEqualTo(EndpointSpec.ResolutionMode.DNSRR);
  }

  @Test
  void aBadFieldOfTheLongSyntaxIsNamedBeforeAnythingIsSent() {
    Result badKey = daemon.run("service", "create", "--network", "name=back,aliases=db", "pg");
    Result noName = daemon.run("service", "create", "--network", "alias=db", "pg");
    Result noValue = daemon.run("service", "create", "--network", "name=back,alias", "pg");
    Result twice =
        daemon.run("service", "create", "--network", "back", "--network", "name=back", "pg");
    Result mode = daemon.run("service", "create", "--endpoint-mode", "rr", "pg");

    assertThat(badKey.exitCode()).isEqualTo(1);
    assertThat(badKey.err())
        .isEqualTo(
            "invalid argument \"name=back,aliases=db\" for \"--network\" flag: invalid field key "
                + "aliases (accepted: name, alias, driver-opt)\n");
    assertThat(noName.err())
        .isEqualTo(
            "invalid argument \"alias=db\" for \"--network\" flag: network name/id is not "
                + "specified\n");
    assertThat(noValue.err())
        .isEqualTo(
            "invalid argument \"name=back,alias\" for \"--network\" flag: invalid field alias: "
                + "expected key=value\n");
    assertThat(twice.err()).isEqualTo("--network: network back is given more than once\n");
    assertThat(mode.err())
        .isEqualTo(
            "invalid argument \"rr\" for \"--endpoint-mode\" flag: must be \"vip\" or "
                + "\"dnsrr\"\n");
    assertThat(daemon.requests(CreateServiceRequest.class)).isEmpty();
  }

  @Test
  void updateRemovesByNameAndAddsByIdKeepingTheOthers() {
    Result r =
        daemon.run(
            "service",
            "update",
            "-d",
            "--network-rm",
            "front",
            "--network-add",
            "name=back,alias=api",
            "--endpoint-mode",
            "dnsrr",
            "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(updated().getTask().getNetworksList())
        .containsExactly(
            NetworkAttachmentConfig.newBuilder().setTarget(BACK).addAliases("api").build());
    assertThat(updated().getEndpoint().getMode()).isEqualTo(EndpointSpec.ResolutionMode.DNSRR);
  }

  @Test
  void addingANetworkTheServiceIsOnOrAnUnknownOneIsRefused() {
    Result again = daemon.run("service", "update", "-d", "--network-add", "front", "web");
    Result unknown = daemon.run("service", "update", "-d", "--network-add", "nope", "web");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err())
        .isEqualTo("--network-add: service is already attached to network front\n");
    assertThat(unknown.err()).isEqualTo("Error: No such network: nope\n");
    assertThat(daemon.requests(UpdateServiceRequest.class)).isEmpty();
  }

  @Test
  void inspectShowsTheTaskTemplatesNetworksAndTheVirtualIps() {
    Result r =
        daemon.run(
            "service",
            "inspect",
            "-f",
            "{{json .Spec.TaskTemplate.Networks}} {{json .Endpoint.VirtualIPs}}",
            "web");

    assertThat(r.out())
        .isEqualTo(
            "[{\"Target\":\""
                + FRONT
                + "\",\"Aliases\":[\"www\"]}] [{\"NetworkID\":\""
                + FRONT
                + "\",\"Addr\":\"10.0.1.2/24\"}]\n");
  }

  @Test
  void prettyNamesTheNetworksBeforeTheEndpointMode() {
    Result r = daemon.run("service", "inspect", "--pretty", "web");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).endsWith("\nNetworks: front \nEndpoint Mode:\tvip\n");
  }
}
