package io.corral.cli.service;

import static io.corral.cli.service.PortSpecsTest.ingress;
import static io.corral.cli.service.PortSpecsTest.port;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.PortConfig;
import io.corral.api.PortConfig.Protocol;
import io.corral.api.PortConfig.PublishMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortUpdatesTest {

  static List<PortConfig> parse(String value) {
    return PortSpecs.parse("--publish-rm", value);
  }

  @Test
  void removalMatchesTargetProtocolAndModeNotThePublishedPort() {
    List<PortConfig> current =
        List.of(
            ingress(8080, 80),
            port(8080, 80, Protocol.UDP, PublishMode.INGRESS),
            port(9000, 80, Protocol.TCP, PublishMode.HOST),
            ingress(8443, 443));

    assertThat(PortUpdates.apply(current, parse("80"), List.of()))
        .containsExactly(
            port(8080, 80, Protocol.UDP, PublishMode.INGRESS),
            ingress(8443, 443),
            port(9000, 80, Protocol.TCP, PublishMode.HOST));
    assertThat(PortUpdates.apply(current, parse("target=80,mode=host"), List.of()))
        .containsExactly(
            ingress(8080, 80),
            port(8080, 80, Protocol.UDP, PublishMode.INGRESS),
            ingress(8443, 443));
  }

  @Test
  void anAddedPortAlreadyThereIsNotRepeatedAndTheListIsSortedByDockersKey() {
    List<PortConfig> current = List.of(ingress(8080, 80));

    assertThat(
            PortUpdates.apply(
                current, List.of(), List.of(ingress(8080, 80), ingress(30000, 81), ingress(0, 82))))
        .containsExactly(ingress(0, 82), ingress(30000, 81), ingress(8080, 80));
  }

  @Test
  void removingAndAddingTheSamePortKeepsIt() {
    assertThat(
            PortUpdates.apply(List.of(ingress(8080, 80)), parse("80"), List.of(ingress(8080, 80))))
        .containsExactly(ingress(8080, 80));
  }

  @Test
  void changingThePublishedPortIsARemovalByTargetAndAnAddition() {
    assertThat(
            PortUpdates.apply(List.of(ingress(8080, 80)), parse("80"), List.of(ingress(9090, 80))))
        .containsExactly(ingress(9090, 80));
  }
}
