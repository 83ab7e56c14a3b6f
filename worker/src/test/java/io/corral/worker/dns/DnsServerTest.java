package io.corral.worker.dns;

import static io.corral.worker.dns.ResolverTest.service;
import static io.corral.worker.dns.ResolverTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.EndpointSpec.ResolutionMode;
import io.corral.api.ServiceEndpoints;
import io.corral.api.TaskEndpoint;
import io.corral.worker.dns.DnsTestClient.Result;
import io.corral.worker.network.EndpointTable;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DnsServerTest {
  static final InetAddress GATEWAY = ip("127.0.0.1");
  // The asking tasks: one on n1, one on n2 (loopback addresses a test can send from).
  static final InetAddress CLIENT = ip("127.0.0.5");
  static final InetAddress OTHER = ip("127.0.0.6");
  static final byte[] UPSTREAM_ANSWER = {(byte) 192, 0, 2, 10};

  final EndpointTable table = new EndpointTable();
  final DnsTestClient client = new DnsTestClient();
  final List<AutoCloseable> closing = new ArrayList<>();
  int port;
  InetSocketAddress server;

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A port free for both UDP and TCP on {@code address} (the server binds both). */
  static int freePort(InetAddress address) throws Exception {
    for (int i = 0; i < 50; i++) {
      try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(address, 0));
          ServerSocket t = new ServerSocket(u.getLocalPort(), 1, address)) {
        return u.getLocalPort();
      } catch (java.io.IOException busy) {
        // TCP side taken: try another
      }
    }
    throw new IllegalStateException("no free port on " + address);
  }

  static final TaskEndpoint WEB1 = task("web.1.t1", "10.0.1.5/24");
  static final TaskEndpoint WEB2 = task("web.2.t2", "10.0.1.6/24");
  static final TaskEndpoint ME = task("client.1.c1", "127.0.0.5/8");
  static final TaskEndpoint SECRET = task("secret.1.s1", "127.0.0.6/8");

  static List<ServiceEndpoints> entries() {
    return List.of(
        service(
            "web",
            "n1",
            ResolutionMode.VIP,
            "10.0.1.2/24",
            List.of("www"),
            List.of(WEB1, WEB2),
            List.of(WEB1, WEB2)),
        service("client", "n1", ResolutionMode.DNSRR, "", List.of(), List.of(ME), List.of(ME)),
        service(
            "secret",
            "n2",
            ResolutionMode.VIP,
            "10.0.2.2/24",
            List.of(),
            List.of(SECRET),
            List.of(SECRET)));
  }

  @BeforeEach
  void start() throws Exception {
    table.replaceAll(entries());
    port = freePort(GATEWAY);
    server = new InetSocketAddress(GATEWAY, port);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    client.close();
  }

  DnsServer dns(List<InetSocketAddress> upstreams, Duration timeout) {
    DnsServer s = new DnsServer(table, upstreams, port, timeout);
    closing.add(s);
    s.listen(GATEWAY);
    return s;
  }

  FakeUpstream upstream(String address, boolean silent) throws Exception {
    InetAddress a = ip(address);
    FakeUpstream u =
        new FakeUpstream(new InetSocketAddress(a, freePort(a)), UPSTREAM_ANSWER, silent);
    closing.add(u);
    return u;
  }

  @Test
  void answersClusterNamesForTheAskingTaskOverUdp() throws Exception {
    dns(List.of(), Duration.ofSeconds(1));
    Result web = client.udp(server, CLIENT, "web", DnsRecordType.A);
    assertThat(web.code()).isEqualTo(DnsResponseCode.NOERROR);
    assertThat(web.authoritative()).isTrue();
    assertThat(web.addresses()).containsExactly("10.0.1.2");
    assertThat(client.udp(server, CLIENT, "TASKS.WWW.", DnsRecordType.A).addresses())
        .containsExactlyInAnyOrder("10.0.1.5", "10.0.1.6");
    assertThat(client.udp(server, CLIENT, "web.2.t2", DnsRecordType.A).addresses())
        .containsExactly("10.0.1.6");
    Result aaaa = client.udp(server, CLIENT, "web", DnsRecordType.AAAA);
    assertThat(aaaa.code()).isEqualTo(DnsResponseCode.NOERROR);
    assertThat(aaaa.addresses()).isEmpty();
  }

  @Test
  void servicesOfNetworksTheAskerIsNotOnAreNxdomain() throws Exception {
    dns(List.of(), Duration.ofSeconds(1));
    assertThat(client.udp(server, CLIENT, "secret", DnsRecordType.A).code())
        .isEqualTo(DnsResponseCode.NXDOMAIN);
    assertThat(client.udp(server, OTHER, "web", DnsRecordType.A).code())
        .isEqualTo(DnsResponseCode.NXDOMAIN);
    assertThat(client.udp(server, OTHER, "secret", DnsRecordType.A).addresses())
        .containsExactly("10.0.2.2");
    // The node itself (no task) sees no cluster name.
    assertThat(client.udp(server, GATEWAY, "web", DnsRecordType.A).code())
        .isEqualTo(DnsResponseCode.NXDOMAIN);
  }

  @Test
  void answersOverTcp() throws Exception {
    dns(List.of(), Duration.ofSeconds(1));
    assertThat(client.tcp(server, CLIENT, "web", DnsRecordType.A).addresses())
        .containsExactly("10.0.1.2");
    assertThat(client.tcp(server, CLIENT, "secret", DnsRecordType.A).code())
        .isEqualTo(DnsResponseCode.NXDOMAIN);
  }

  @Test
  void forwardsOtherNamesToTheUpstreamAndRelaysItsAnswer() throws Exception {
    FakeUpstream up = upstream("127.0.0.53", false);
    dns(List.of(up.address), Duration.ofSeconds(5));
    Result udp = client.udp(server, CLIENT, "example.com", DnsRecordType.A);
    assertThat(udp.code()).isEqualTo(DnsResponseCode.NOERROR);
    assertThat(udp.authoritative()).isFalse();
    assertThat(udp.addresses()).containsExactly("192.0.2.10");
    Result tcp = client.tcp(server, CLIENT, "example.org", DnsRecordType.A);
    assertThat(tcp.addresses()).containsExactly("192.0.2.10");
    // A source that is no task is forwarded too; a TCP query goes on over TCP.
    assertThat(client.udp(server, GATEWAY, "example.net", DnsRecordType.A).addresses())
        .containsExactly("192.0.2.10");
    assertThat(up.asked)
        .containsExactly("udp example.com.", "tcp example.org.", "udp example.net.");
  }

  @Test
  void neverForwardsClusterNames() throws Exception {
    FakeUpstream up = upstream("127.0.0.53", false);
    dns(List.of(up.address), Duration.ofSeconds(5));
    assertThat(client.udp(server, CLIENT, "secret", DnsRecordType.A).code())
        .isEqualTo(DnsResponseCode.NXDOMAIN);
    assertThat(client.udp(server, CLIENT, "web", DnsRecordType.AAAA).addresses()).isEmpty();
    assertThat(up.asked).isEmpty();
  }

  @Test
  void servfailWhenNoUpstreamAnswersInTime() throws Exception {
    FakeUpstream silent = upstream("127.0.0.53", true);
    dns(List.of(silent.address), Duration.ofMillis(300));
    assertThat(client.udp(server, CLIENT, "example.com", DnsRecordType.A).code())
        .isEqualTo(DnsResponseCode.SERVFAIL);
    assertThat(client.tcp(server, CLIENT, "example.com", DnsRecordType.A).code())
        .isEqualTo(DnsResponseCode.SERVFAIL);
    assertThat(silent.asked).containsExactly("udp example.com.", "tcp example.com.");
  }

  @Test
  void triesTheNextUpstreamWhenOneFails() throws Exception {
    FakeUpstream silent = upstream("127.0.0.53", true);
    FakeUpstream good = upstream("127.0.0.54", false);
    dns(List.of(silent.address, good.address), Duration.ofMillis(300));
    assertThat(client.udp(server, CLIENT, "example.com", DnsRecordType.A).addresses())
        .containsExactly("192.0.2.10");
    assertThat(silent.asked).containsExactly("udp example.com.");
    assertThat(good.asked).containsExactly("udp example.com.");
  }

  @Test
  void servfailWithoutUpstreamAndNeverToItself() throws Exception {
    dns(List.of(), Duration.ofSeconds(30));
    assertThat(client.udp(server, CLIENT, "example.com", DnsRecordType.A).code())
        .isEqualTo(DnsResponseCode.SERVFAIL);
    // The node's resolv.conf naming a listen address must not make it ask itself in a loop.
    InetSocketAddress self = new InetSocketAddress(ip("127.0.0.2"), port);
    DnsServer s2 = new DnsServer(table, List.of(self), port, Duration.ofSeconds(30));
    closing.add(s2);
    s2.listen(ip("127.0.0.2"));
    assertThat(client.udp(self, CLIENT, "example.com", DnsRecordType.A).code())
        .isEqualTo(DnsResponseCode.SERVFAIL);
  }

  @Test
  void truncatesLargeUdpAnswersUnlessEdnsAllowsThem() throws Exception {
    List<TaskEndpoint> many =
        IntStream.range(0, 60)
            .mapToObj(i -> task("big." + i + ".x" + i, "10.0.3." + i + "/24"))
            .toList();
    List<ServiceEndpoints> e = new ArrayList<>(entries());
    e.add(service("big", "n1", ResolutionMode.DNSRR, "", List.of(), many, many));
    table.replaceAll(e);
    dns(List.of(), Duration.ofSeconds(1));
    Result plain = client.udp(server, CLIENT, "tasks.big", DnsRecordType.A);
    assertThat(plain.truncated()).isTrue();
    assertThat(plain.addresses()).isNotEmpty().hasSizeLessThan(60);
    assertThat(plain.edns()).isFalse();
    Result edns = client.udp(server, CLIENT, "tasks.big", DnsRecordType.A, 4096);
    assertThat(edns.truncated()).isFalse();
    assertThat(edns.addresses()).hasSize(60);
    assertThat(edns.edns()).isTrue();
    Result tcp = client.tcp(server, CLIENT, "tasks.big", DnsRecordType.A);
    assertThat(tcp.truncated()).isFalse();
    assertThat(tcp.addresses()).hasSize(60);
  }

  @Test
  void shufflesMultiAddressAnswers() throws Exception {
    List<TaskEndpoint> five =
        IntStream.range(0, 5)
            .mapToObj(i -> task("rr." + i + ".x" + i, "10.0.4." + i + "/24"))
            .toList();
    List<ServiceEndpoints> e = new ArrayList<>(entries());
    e.add(service("rr", "n1", ResolutionMode.DNSRR, "", List.of(), five, five));
    table.replaceAll(e);
    dns(List.of(), Duration.ofSeconds(1));
    Set<List<String>> orders = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      orders.add(client.udp(server, CLIENT, "rr", DnsRecordType.A).addresses());
    }
    assertThat(orders).hasSizeGreaterThan(1);
    assertThat(orders).allSatisfy(o -> assertThat(o).hasSize(5));
  }

  @Test
  void dropsMalformedDatagramsAndKeepsAnswering() throws Exception {
    dns(List.of(), Duration.ofSeconds(1));
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(CLIENT, 0))) {
      byte[][] junk = {
        {1, 2, 3},
        new byte[12],
        {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63, 'a'}, // a question cut short
        {0, 1, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0}, // 65535 questions, none there
      };
      for (byte[] j : junk) {
        s.send(new DatagramPacket(j, j.length, server));
      }
    }
    assertThat(client.udp(server, CLIENT, "web", DnsRecordType.A).addresses())
        .containsExactly("10.0.1.2");
  }

  @Test
  void answersFollowTheEndpointTable() throws Exception {
    dns(List.of(), Duration.ofSeconds(1));
    TaskEndpoint web3 = task("web.3.t3", "10.0.1.7/24");
    table.change(
        List.of(
            service(
                "web",
                "n1",
                ResolutionMode.VIP,
                "10.0.1.2/24",
                List.of(),
                List.of(WEB1, web3),
                List.of(WEB1, web3))),
        List.of());
    assertThat(client.udp(server, CLIENT, "tasks.web", DnsRecordType.A).addresses())
        .containsExactlyInAnyOrder("10.0.1.5", "10.0.1.7");
    // The alias is gone: no longer a cluster name, so forwarded (and no upstream here).
    assertThat(client.udp(server, CLIENT, "www", DnsRecordType.A).code())
        .isEqualTo(DnsResponseCode.SERVFAIL);
    table.change(List.of(), List.of(new EndpointTable.Key("id-web", "n1")));
    assertThat(client.udp(server, CLIENT, "web", DnsRecordType.A).code())
        .isEqualTo(DnsResponseCode.SERVFAIL); // no longer a cluster name: forwarded, no upstream
  }

  @Test
  void unlistenReleasesTheAddressAndListenTakesItAgain() throws Exception {
    DnsServer s = dns(List.of(), Duration.ofSeconds(1));
    s.listen(GATEWAY); // already: a no-op
    assertThat(s.listening()).containsExactly(GATEWAY);
    s.unlisten(GATEWAY);
    assertThat(s.listening()).isEmpty();
    try (DatagramSocket u = new DatagramSocket(server);
        ServerSocket t = new ServerSocket(port, 1, GATEWAY)) {
      assertThat(u.isBound()).isTrue();
      assertThat(t.isBound()).isTrue();
    }
    s.unlisten(GATEWAY); // not listening: a no-op
    s.listen(GATEWAY);
    assertThat(client.udp(server, CLIENT, "web", DnsRecordType.A).addresses())
        .containsExactly("10.0.1.2");
  }

  @Test
  void listenOnAnAddressInUseSaysWhich() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(server)) {
      DnsServer s = new DnsServer(table, List.of(), port, Duration.ofSeconds(1));
      closing.add(s);
      assertThatThrownBy(() -> s.listen(GATEWAY))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen on udp " + server);
      assertThat(s.listening()).isEmpty();
    }
  }

  @Test
  void worksOnNioWhereEpollIsMissing() throws Exception {
    FakeUpstream up = upstream("127.0.0.53", false);
    DnsServer s =
        new DnsServer(table, List.of(up.address), port, Duration.ofSeconds(5), Transport.nio());
    closing.add(s);
    s.listen(GATEWAY);
    assertThat(client.udp(server, CLIENT, "web", DnsRecordType.A).addresses())
        .containsExactly("10.0.1.2");
    assertThat(client.tcp(server, CLIENT, "tasks.web", DnsRecordType.A).addresses())
        .containsExactlyInAnyOrder("10.0.1.5", "10.0.1.6");
    assertThat(client.udp(server, CLIENT, "example.com", DnsRecordType.A).addresses())
        .containsExactly("192.0.2.10");
    assertThat(client.tcp(server, CLIENT, "example.com", DnsRecordType.A).addresses())
        .containsExactly("192.0.2.10");
  }
}
