package io.corral.cli.service;

import static io.corral.cli.FakeDaemon.service;
import static io.corral.cli.service.PortSpecsTest.ingress;
import static io.corral.cli.service.PortSpecsTest.port;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.CreateServiceRequest;
import io.corral.api.Endpoint;
import io.corral.api.EndpointSpec;
import io.corral.api.PortConfig.Protocol;
import io.corral.api.PortConfig.PublishMode;
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
 * {@code --publish}, {@code --publish-add/--publish-rm}, {@code --ingress-masquerade} and {@code
 * --ingress-prefer-local} of service create and update, and how service inspect shows them.
 */
class ServicePublishFlagsTest {

  static final String WEB = "web00000000000000000000001";
  static final String INGRESS = "ingress0000000000000000001";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    Service web = service(WEB, "web", "nginx", 2);
    EndpointSpec endpoint =
        EndpointSpec.newBuilder()
            .addPorts(ingress(8080, 80))
            .addPorts(port(0, 53, Protocol.UDP, PublishMode.INGRESS))
            .addPorts(port(9000, 9000, Protocol.TCP, PublishMode.HOST))
            .setIngressPreferLocal(true)
            .build();
    web =
        web.toBuilder()
            .setSpec(web.getSpec().toBuilder().setEndpoint(endpoint))
            .setEndpoint(
                Endpoint.newBuilder()
                    .setSpec(endpoint)
                    .addPorts(ingress(8080, 80))
                    .addPorts(port(30000, 53, Protocol.UDP, PublishMode.INGRESS))
                    .addPorts(port(9000, 9000, Protocol.TCP, PublishMode.HOST))
                    .addVirtualIps(
                        Endpoint.VirtualIP.newBuilder()
                            .setNetworkId(INGRESS)
                            .setAddr("10.0.0.5/24")))
            .build();
    daemon = FakeDaemon.start(dir).add(web);
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
  void createTakesEveryPublishInTheOrderGiven() {
    Result r =
        daemon.run(
            "service",
            "create",
            "-d",
            "--publish",
            "8080:80",
            "-p",
            "5353:53/udp",
            "-p",
            "443",
            "--publish",
            "published=9000,target=9000,mode=host",
            "--ingress-masquerade",
            "nginx");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(created().getEndpoint())
        .isEqualTo(
            EndpointSpec.newBuilder()
                .addPorts(ingress(8080, 80))
                .addPorts(port(5353, 53, Protocol.UDP, PublishMode.INGRESS))
                .addPorts(ingress(0, 443))
                .addPorts(port(9000, 9000, Protocol.TCP, PublishMode.HOST))
                .setIngressMasquerade(true)
                .build());
  }

  @Test
  void createWithoutPortsSendsNoEndpointPorts() {
    Result r = daemon.run("service", "create", "-d", "--ingress-prefer-local=false", "nginx");

    assertThat(r.exitCode()).isZero();
    assertThat(created().getEndpoint().getPortsList()).isEmpty();
    assertThat(created().getEndpoint().getIngressPreferLocal()).isFalse();
  }

  @Test
  void aBareOptionDoesNotTakeTheImageAsItsValue() {
    Result r = daemon.run("service", "create", "-d", "--ingress-masquerade", "nginx");

    assertThat(r.err()).isEmpty();
    assertThat(created().getEndpoint().getIngressMasquerade()).isTrue();
    assertThat(created().getTask().getContainer().getImage()).isEqualTo("nginx");
  }

  @Test
  void aBadPortIsRefusedBeforeAnythingIsSent() {
    Result proto = daemon.run("service", "create", "-p", "8080:80/icmp", "nginx");
    Result noTarget = daemon.run("service", "create", "-p", "published=8080", "nginx");
    Result badBool = daemon.run("service", "create", "--ingress-masquerade=maybe", "nginx");
    Result badAdd = daemon.run("service", "update", "--publish-add", "80:x", "web");

    assertThat(proto.exitCode()).isEqualTo(1);
    assertThat(proto.err())
        .isEqualTo(
            "invalid argument \"8080:80/icmp\" for \"--publish\" flag: invalid proto: icmp\n");
    assertThat(noTarget.err())
        .isEqualTo(
            "invalid argument \"published=8080\" for \"--publish\" flag: missing mandatory field "
                + "'target'\n");
    assertThat(badBool.exitCode()).isNotZero();
    assertThat(badBool.err()).contains("--ingress-masquerade").contains("maybe");
    assertThat(badAdd.err())
        .isEqualTo(
            "invalid argument \"80:x\" for \"--publish-add\" flag: invalid containerPort: x\n");
    assertThat(daemon.requests(CreateServiceRequest.class)).isEmpty();
    assertThat(daemon.requests(UpdateServiceRequest.class)).isEmpty();
  }

  @Test
  void updateRemovesByTargetAddsAndKeepsTheOthersAndTheOptions() {
    Result r =
        daemon.run(
            "service",
            "update",
            "-d",
            "--publish-rm",
            "80",
            "--publish-add",
            "8081:80",
            "--publish-add",
            "5353:53/udp",
            "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(updated().getEndpoint())
        .isEqualTo(
            EndpointSpec.newBuilder()
                .addPorts(port(0, 53, Protocol.UDP, PublishMode.INGRESS))
                .addPorts(port(5353, 53, Protocol.UDP, PublishMode.INGRESS))
                .addPorts(ingress(8081, 80))
                .addPorts(port(9000, 9000, Protocol.TCP, PublishMode.HOST))
                .setIngressPreferLocal(true)
                .build());
  }

  @Test
  void updateTurnsTheOptionsOnAndOffLeavingThePorts() {
    Result r =
        daemon.run(
            "service",
            "update",
            "-d",
            "--ingress-masquerade=true",
            "--ingress-prefer-local=false",
            "web");

    assertThat(r.err()).isEmpty();
    assertThat(updated().getEndpoint().getIngressMasquerade()).isTrue();
    assertThat(updated().getEndpoint().getIngressPreferLocal()).isFalse();
    assertThat(updated().getEndpoint().getPortsCount()).isEqualTo(3);
  }

  @Test
  void anOptionAloneIsAnUpdateSoRollbackRefusesIt() {
    Result r = daemon.run("service", "update", "--rollback", "--ingress-masquerade", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("other flags may not be combined with --rollback\n");
  }

  @Test
  void inspectShowsDockersEndpointWithTheAllocatedPortsAndTheIngressVip() {
    Result r =
        daemon.run(
            "service",
            "inspect",
            "-f",
            "{{json .Spec.EndpointSpec}} {{json .Endpoint.Ports}} {{json .Endpoint.VirtualIPs}}",
            "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "{\"Mode\":\"vip\",\"Ports\":["
                + "{\"Protocol\":\"tcp\",\"TargetPort\":80,\"PublishedPort\":8080,"
                + "\"PublishMode\":\"ingress\"},"
                + "{\"Protocol\":\"udp\",\"TargetPort\":53,\"PublishedPort\":0,"
                + "\"PublishMode\":\"ingress\"},"
                + "{\"Protocol\":\"tcp\",\"TargetPort\":9000,\"PublishedPort\":9000,"
                + "\"PublishMode\":\"host\"}],\"IngressPreferLocal\":true} "
                + "[{\"Protocol\":\"tcp\",\"TargetPort\":80,\"PublishedPort\":8080,"
                + "\"PublishMode\":\"ingress\"},"
                + "{\"Protocol\":\"udp\",\"TargetPort\":53,\"PublishedPort\":30000,"
                + "\"PublishMode\":\"ingress\"},"
                + "{\"Protocol\":\"tcp\",\"TargetPort\":9000,\"PublishedPort\":9000,"
                + "\"PublishMode\":\"host\"}] "
                + "[{\"NetworkID\":\""
                + INGRESS
                + "\",\"Addr\":\"10.0.0.5/24\"}]\n");
  }

  @Test
  void prettyListsTheAllocatedPortsAsDockerAndTheOptionsAfterThem() {
    Result r = daemon.run("service", "inspect", "--pretty", "web");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .endsWith(
            "\nEndpoint Mode:\tvip\nPorts:"
                + "\n PublishedPort = 8080\n  Protocol = tcp\n  TargetPort = 80\n  PublishMode = ingress"
                + "\n PublishedPort = 30000\n  Protocol = udp\n  TargetPort = 53\n  PublishMode = ingress"
                + "\n PublishedPort = 9000\n  Protocol = tcp\n  TargetPort = 9000\n  PublishMode = host "
                + "\nIngress Prefer Local:\ttrue\n");
  }

  @Test
  void listShowsTheIngressPortsOnly() {
    Result r = daemon.run("service", "ls", "--format", "{{.Ports}}");

    assertThat(r.out()).isEqualTo("*:8080->80/tcp, *:30000->53/udp\n");
  }
}
