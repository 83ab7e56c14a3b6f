package io.corral.worker.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.EndpointSpec.ResolutionMode;
import io.corral.api.ServiceEndpoints;
import io.corral.api.TaskEndpoint;
import io.corral.worker.dns.Resolver.Answer;
import io.corral.worker.dns.Resolver.Kind;
import io.netty.handler.codec.dns.DnsRecordType;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolverTest {
  static TaskEndpoint task(String name, String address) {
    return TaskEndpoint.newBuilder().setName(name).setAddress(address).setTaskId(name).build();
  }

  static ServiceEndpoints service(
      String name,
      String network,
      ResolutionMode mode,
      String vip,
      List<String> aliases,
      List<TaskEndpoint> tasks,
      List<TaskEndpoint> attached) {
    return ServiceEndpoints.newBuilder()
        .setServiceId("id-" + name)
        .setServiceName(name)
        .setNetworkId(network)
        .setMode(mode)
        .setVirtualIp(vip)
        .addAllAliases(aliases)
        .addAllTasks(tasks)
        .addAllAttached(attached)
        .build();
  }

  static final TaskEndpoint WEB1 = task("web.1.t1", "10.0.1.5/24");
  static final TaskEndpoint WEB2 = task("web.2.t2", "10.0.1.6/24");
  // Attached but not a backend (starting, or unhealthy).
  static final TaskEndpoint WEB3 = task("web.3.t3", "10.0.1.7/24");
  static final TaskEndpoint DB1 = task("db.1.d1", "10.0.1.8/24");
  static final TaskEndpoint CLIENT = task("client.1.c1", "10.0.1.9/24");
  static final TaskEndpoint SECRET1 = task("secret.1.s1", "10.0.2.5/24");
  static final TaskEndpoint OTHER = task("other.1.o1", "10.0.2.9/24");

  static final List<ServiceEndpoints> ENTRIES =
      List.of(
          service(
              "web",
              "n1",
              ResolutionMode.VIP,
              "10.0.1.2/24",
              List.of("www"),
              List.of(WEB1, WEB2),
              List.of(WEB1, WEB2, WEB3)),
          service("db", "n1", ResolutionMode.DNSRR, "", List.of(), List.of(DB1), List.of(DB1)),
          service(
              "client",
              "n1",
              ResolutionMode.VIP,
              "10.0.1.3/24",
              List.of(),
              List.of(),
              List.of(CLIENT)),
          service(
              "secret",
              "n2",
              ResolutionMode.VIP,
              "10.0.2.2/24",
              List.of(),
              List.of(SECRET1),
              List.of(SECRET1)),
          service(
              "other", "n2", ResolutionMode.DNSRR, "", List.of(), List.of(OTHER), List.of(OTHER)));

  final Resolver resolver = Resolver.of(ENTRIES);

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  Answer a(String from, String name) throws Exception {
    return resolver.resolve(ip(from), name, DnsRecordType.A);
  }

  static Answer addresses(String... ips) throws Exception {
    return new Answer(Kind.ADDRESSES, Arrays.stream(ips).map(s -> Resolver.address(s)).toList());
  }

  @Test
  void aVipServiceResolvesToItsVip() throws Exception {
    assertThat(a("10.0.1.9", "web")).isEqualTo(addresses("10.0.1.2"));
  }

  @Test
  void namesAreCaseInsensitiveWithOrWithoutTheTrailingDot() throws Exception {
    assertThat(a("10.0.1.9", "WeB.")).isEqualTo(addresses("10.0.1.2"));
    assertThat(a("10.0.1.9", "TASKS.web")).isEqualTo(addresses("10.0.1.5", "10.0.1.6"));
  }

  @Test
  void aliasesResolveLikeTheServiceName() throws Exception {
    assertThat(a("10.0.1.9", "www")).isEqualTo(addresses("10.0.1.2"));
    assertThat(a("10.0.1.9", "tasks.www.")).isEqualTo(addresses("10.0.1.5", "10.0.1.6"));
  }

  @Test
  void tasksNameGivesEveryBackendButNotTasksThatAreOnlyAttached() throws Exception {
    assertThat(a("10.0.1.9", "tasks.web").addresses())
        .extracting(InetAddress::getHostAddress)
        .containsExactly("10.0.1.5", "10.0.1.6");
  }

  @Test
  void aDnsrrServiceResolvesToItsBackends() throws Exception {
    assertThat(a("10.0.1.9", "db")).isEqualTo(addresses("10.0.1.8"));
    assertThat(a("10.0.1.9", "tasks.db")).isEqualTo(addresses("10.0.1.8"));
  }

  @Test
  void aBackendTaskNameResolvesToItsAddress() throws Exception {
    assertThat(a("10.0.1.9", "web.2.t2")).isEqualTo(addresses("10.0.1.6"));
  }

  @Test
  void aTaskThatIsNoBackendIsNotNamedToOthersButResolvesItsOwnName() throws Exception {
    assertThat(a("10.0.1.9", "web.3.t3").kind()).isEqualTo(Kind.NXDOMAIN);
    assertThat(a("10.0.1.7", "web.3.t3")).isEqualTo(addresses("10.0.1.7"));
    assertThat(a("10.0.1.9", "client.1.c1")).isEqualTo(addresses("10.0.1.9"));
  }

  @Test
  void servicesOnANetworkTheAskerIsNotOnAreNxdomain() throws Exception {
    assertThat(a("10.0.1.9", "secret").kind()).isEqualTo(Kind.NXDOMAIN);
    assertThat(a("10.0.1.9", "tasks.secret").kind()).isEqualTo(Kind.NXDOMAIN);
    assertThat(a("10.0.1.9", "secret.1.s1").kind()).isEqualTo(Kind.NXDOMAIN);
    assertThat(a("10.0.2.9", "web").kind()).isEqualTo(Kind.NXDOMAIN);
    assertThat(a("10.0.2.9", "secret")).isEqualTo(addresses("10.0.2.2"));
  }

  @Test
  void otherTypesOfAKnownNameAreNoData() throws Exception {
    assertThat(resolver.resolve(ip("10.0.1.9"), "web", DnsRecordType.AAAA).kind())
        .isEqualTo(Kind.NO_DATA);
    assertThat(resolver.resolve(ip("10.0.1.9"), "tasks.db", DnsRecordType.MX).kind())
        .isEqualTo(Kind.NO_DATA);
    // ...but never for a name the asker may not see.
    assertThat(resolver.resolve(ip("10.0.1.9"), "secret", DnsRecordType.AAAA).kind())
        .isEqualTo(Kind.NXDOMAIN);
  }

  @Test
  void unknownNamesAreForwarded() throws Exception {
    assertThat(a("10.0.1.9", "example.com").kind()).isEqualTo(Kind.FORWARD);
    assertThat(a("10.0.1.9", "web.example.com").kind()).isEqualTo(Kind.FORWARD);
    assertThat(resolver.resolve(ip("10.0.1.9"), "example.com", DnsRecordType.AAAA).kind())
        .isEqualTo(Kind.FORWARD);
  }

  @Test
  void aSourceThatIsNoTaskGetsNoClusterNamesButForwarding() throws Exception {
    assertThat(a("10.0.1.1", "web").kind()).isEqualTo(Kind.NXDOMAIN);
    assertThat(a("127.0.0.1", "secret").kind()).isEqualTo(Kind.NXDOMAIN);
    assertThat(a("127.0.0.1", "example.com").kind()).isEqualTo(Kind.FORWARD);
  }

  @Test
  void aTaskOnTwoNetworksSeesBoth() throws Exception {
    TaskEndpoint both1 = task("both.1.b1", "10.0.1.20/24");
    TaskEndpoint both2 = task("both.1.b1", "10.0.2.20/24");
    List<ServiceEndpoints> entries = new java.util.ArrayList<>(ENTRIES);
    entries.add(
        service(
            "both", "n1", ResolutionMode.VIP, "10.0.1.4/24", List.of(), List.of(), List.of(both1)));
    entries.add(
        service(
            "both", "n2", ResolutionMode.VIP, "10.0.2.4/24", List.of(), List.of(), List.of(both2)));
    Resolver r = Resolver.of(entries);
    assertThat(r.resolve(ip("10.0.1.20"), "web", DnsRecordType.A)).isEqualTo(addresses("10.0.1.2"));
    assertThat(r.resolve(ip("10.0.2.20"), "secret", DnsRecordType.A))
        .isEqualTo(addresses("10.0.2.2"));
    // Its address on n1 makes it a task of n1 only: the source decides the networks.
    assertThat(r.resolve(ip("10.0.1.20"), "secret", DnsRecordType.A).kind())
        .isEqualTo(Kind.NXDOMAIN);
  }

  @Test
  void aServiceOnTwoOfTheAskersNetworksGivesBothVips() throws Exception {
    TaskEndpoint c1 = task("c.1.x", "10.0.1.30/24");
    TaskEndpoint s1 = task("s.1.y", "10.0.1.31/24");
    TaskEndpoint s2 = task("s.1.y", "10.0.2.31/24");
    Resolver r =
        Resolver.of(
            List.of(
                service("c", "n1", ResolutionMode.DNSRR, "", List.of(), List.of(c1), List.of(c1)),
                service(
                    "c",
                    "n2",
                    ResolutionMode.DNSRR,
                    "",
                    List.of(),
                    List.of(),
                    List.of(task("c.1.x", "10.0.1.30/24"))),
                service(
                    "s",
                    "n1",
                    ResolutionMode.VIP,
                    "10.0.1.40/24",
                    List.of(),
                    List.of(s1),
                    List.of(s1)),
                service(
                    "s",
                    "n2",
                    ResolutionMode.VIP,
                    "10.0.2.40/24",
                    List.of(),
                    List.of(s2),
                    List.of(s2))));
    assertThat(r.resolve(ip("10.0.1.30"), "s", DnsRecordType.A))
        .isEqualTo(addresses("10.0.1.40", "10.0.2.40"));
  }

  @Test
  void aServiceWithoutBackendsIsNoDataNotNxdomain() throws Exception {
    Resolver r =
        Resolver.of(
            List.of(
                service("q", "n1", ResolutionMode.DNSRR, "", List.of(), List.of(), List.of()),
                service(
                    "c", "n1", ResolutionMode.DNSRR, "", List.of(), List.of(), List.of(CLIENT))));
    assertThat(r.resolve(ip("10.0.1.9"), "q", DnsRecordType.A).kind()).isEqualTo(Kind.NO_DATA);
    assertThat(r.resolve(ip("10.0.1.9"), "tasks.q", DnsRecordType.A).kind())
        .isEqualTo(Kind.NO_DATA);
  }

  @Test
  void aVipServiceWhoseVipIsNotAllocatedYetGivesItsBackends() throws Exception {
    Resolver r =
        Resolver.of(
            List.of(
                service("v", "n1", ResolutionMode.VIP, "", List.of(), List.of(WEB1), List.of(WEB1)),
                service(
                    "c", "n1", ResolutionMode.DNSRR, "", List.of(), List.of(), List.of(CLIENT))));
    assertThat(r.resolve(ip("10.0.1.9"), "v", DnsRecordType.A)).isEqualTo(addresses("10.0.1.5"));
  }

  @Test
  void badAddressesInTheTableAreSkipped() throws Exception {
    Resolver r =
        Resolver.of(
            List.of(
                service(
                    "v",
                    "n1",
                    ResolutionMode.VIP,
                    "not-an-ip",
                    List.of(""),
                    List.of(task("v.1.a", "999.1.1.1/24"), task("v.2.b", "")),
                    List.of(task("v.1.a", "garbage"), CLIENT))));
    assertThat(r.resolve(ip("10.0.1.9"), "v", DnsRecordType.A).kind()).isEqualTo(Kind.NO_DATA);
    assertThat(Resolver.address("999.1.1.1")).isNull();
    assertThat(Resolver.address("1.2.3")).isNull();
    assertThat(Resolver.address("10.0.1.5/24").getHostAddress()).isEqualTo("10.0.1.5");
  }

  @Test
  void theEmptyResolverForwardsEverything() throws Exception {
    assertThat(Resolver.EMPTY.resolve(ip("10.0.1.9"), "web", DnsRecordType.A).kind())
        .isEqualTo(Kind.FORWARD);
  }
}
