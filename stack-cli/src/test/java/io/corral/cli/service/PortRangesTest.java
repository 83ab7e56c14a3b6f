package io.corral.cli.service;

import static io.corral.cli.service.PortSpecsTest.ingress;
import static io.corral.cli.service.PortSpecsTest.port;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.PortConfig;
import io.corral.api.PortConfig.Protocol;
import io.corral.api.PortConfig.PublishMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortRangesTest {

  private static PortConfig udp(int published, int target) {
    return port(published, target, Protocol.UDP, PublishMode.INGRESS);
  }

  private static PortConfig sctp(int published, int target) {
    return port(published, target, Protocol.SCTP, PublishMode.INGRESS);
  }

  @Test
  void foldsConsecutivePortsAsDockersOwnTestCase() {
    List<PortConfig> ports = new ArrayList<>();
    ports.add(ingress(81, 80));
    ports.add(ingress(80, 80));
    ports.add(ingress(95, 95));
    for (int p = 90; p <= 94; p++) {
      ports.add(ingress(p, p));
    }
    ports.add(udp(95, 95));
    ports.add(udp(90, 90));
    ports.add(udp(96, 96));
    for (int p = 91; p <= 94; p++) {
      ports.add(udp(p, p));
    }
    ports.add(ingress(60, 60));
    ports.add(ingress(61, 61));
    ports.add(ingress(62, 61));
    ports.add(sctp(97, 97));
    ports.add(sctp(98, 98));

    assertThat(PortRanges.of(ports))
        .isEqualTo(
            "*:97-98->97-98/sctp, *:60-61->60-61/tcp, *:62->61/tcp, *:80-81->80/tcp, "
                + "*:90-95->90-95/tcp, *:90-96->90-96/udp");
  }

  @Test
  void hostModeAndNotYetAllocatedPortsAreLeftOut() {
    assertThat(
            PortRanges.of(
                List.of(
                    port(9000, 9000, Protocol.TCP, PublishMode.HOST),
                    ingress(8080, 80),
                    ingress(0, 81))))
        .isEqualTo("*:8080->80/tcp");
    assertThat(PortRanges.of(List.of())).isEmpty();
  }
}
