package io.corral.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.PortConfig;
import io.corral.api.PortConfig.Protocol;
import io.corral.api.PortConfig.PublishMode;
import io.corral.cli.format.CliFailure;
import org.junit.jupiter.api.Test;

class PortSpecsTest {

  static PortConfig port(int published, int target, Protocol protocol, PublishMode mode) {
    return PortConfig.newBuilder()
        .setPublishedPort(published)
        .setTargetPort(target)
        .setProtocol(protocol)
        .setPublishMode(mode)
        .build();
  }

  static PortConfig ingress(int published, int target) {
    return port(published, target, Protocol.TCP, PublishMode.INGRESS);
  }

  @Test
  void shortSyntaxIsPublishedTargetAndProtocolInIngressMode() {
    assertThat(PortSpecs.parse("--publish", "8080:80")).containsExactly(ingress(8080, 80));
    assertThat(PortSpecs.parse("--publish", "5353:53/udp"))
        .containsExactly(port(5353, 53, Protocol.UDP, PublishMode.INGRESS));
    assertThat(PortSpecs.parse("--publish", "9:9/SCTP"))
        .containsExactly(port(9, 9, Protocol.SCTP, PublishMode.INGRESS));
  }

  @Test
  void aTargetAloneLeavesThePublishedPortToTheManager() {
    assertThat(PortSpecs.parse("--publish", "80")).containsExactly(ingress(0, 80));
    assertThat(PortSpecs.parse("--publish", "80/udp"))
        .containsExactly(port(0, 80, Protocol.UDP, PublishMode.INGRESS));
  }

  @Test
  void rangesPairUpOrSpreadOnePortOverSeveralPublishedOnes() {
    assertThat(PortSpecs.parse("--publish", "8080-8081:80-81"))
        .containsExactly(ingress(8080, 80), ingress(8081, 81));
    assertThat(PortSpecs.parse("--publish", "8080-8081:80"))
        .containsExactly(ingress(8080, 80), ingress(8081, 80));
    assertThat(PortSpecs.parse("--publish", "80-81"))
        .containsExactly(ingress(0, 80), ingress(0, 81));
  }

  @Test
  void longSyntaxDefaultsToTcpAndIngressAndTakesAnyCase() {
    assertThat(PortSpecs.parse("--publish", "published=8080,target=80"))
        .containsExactly(ingress(8080, 80));
    assertThat(PortSpecs.parse("--publish", "target=53,Protocol=UDP,mode=host"))
        .containsExactly(port(0, 53, Protocol.UDP, PublishMode.HOST));
  }

  @Test
  void badValuesAreRefusedInDockersWordsNamingTheValue() {
    assertRefused("8080:80/foo", "invalid proto: foo");
    assertRefused("8080:", "no port specified: 8080:<empty>");
    assertRefused("x:80", "invalid hostPort: x");
    assertRefused("8080:http", "invalid containerPort: http");
    assertRefused("8080:70000", "invalid containerPort: 70000");
    assertRefused("81-80", "invalid containerPort: 81-80");
    assertRefused(
        "8080-8082:80-81",
        "invalid ranges specified for container and host Ports: 80-81 and 8080-8082");
    assertRefused("127.0.0.1:8080:80", "hostip is not supported");
    assertRefused("published=8080", "missing mandatory field 'target'");
    assertRefused("target=80,protocol=icmp", "invalid protocol value 'icmp'");
    assertRefused(
        "target=80,mode=local",
        "invalid publish mode value (local): must be either 'ingress' or 'host'");
    assertRefused(
        "target=http,published=1",
        "invalid target port (http): value must be an integer: invalid syntax");
    assertRefused(
        "target=80,published=99999",
        "invalid published port (99999): value must be an integer: value out of range");
    assertRefused(
        "target=80,port=1",
        "invalid field key: port (accepted: published, target, protocol, mode)");
    assertRefused("target=80,host", "invalid field: host");
  }

  private static void assertRefused(String value, String why) {
    assertThatThrownBy(() -> PortSpecs.parse("--publish", value))
        .isInstanceOf(CliFailure.class)
        .hasMessage("invalid argument \"" + value + "\" for \"--publish\" flag: " + why);
  }
}
