package io.corral.worker.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ResolvConfTest {
  @Test
  void readsNameserversInOrderAndSkipsEverythingElse() {
    String text =
        """
        # generated
        search example.com
        nameserver 10.255.255.53
        nameserver   192.0.2.1  # trailing comment
        nameserver not.a.literal
        nameserver 300.1.1.1
        options ndots:5
        nameserver 2001:db8::1
        nameserver
        """;
    assertThat(ResolvConf.parse(text))
        .extracting(InetSocketAddress::getHostString)
        .containsExactly("10.255.255.53", "192.0.2.1", "2001:db8:0:0:0:0:0:1");
    assertThat(ResolvConf.parse(text)).allMatch(a -> a.getPort() == 53);
  }

  @Test
  void aMissingFileMeansNoUpstream() {
    assertThat(ResolvConf.nameservers(Path.of("/nonexistent/resolv.conf"))).isEmpty();
  }
}
