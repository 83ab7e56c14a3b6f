package io.corral.worker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.Annotations;
import io.corral.api.ContainerSpec;
import io.corral.api.Driver;
import io.corral.api.EndpointSpec;
import io.corral.api.IPAMConfig;
import io.corral.api.IPAMOptions;
import io.corral.api.Network;
import io.corral.api.NetworkSpec;
import io.corral.api.ServiceEndpoints;
import io.corral.api.TaskEndpoint;
import io.corral.worker.agent.TaskBackend;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataPathTextTest {

  @Test
  void macIsDockersRule() {
    assertThat(Ipv4.macOf("10.0.1.5/24")).isEqualTo("02:42:0a:00:01:05");
    assertThat(Ipv4.macOf("192.168.255.1")).isEqualTo("02:42:c0:a8:ff:01");
    assertThatThrownBy(() -> Ipv4.macOf("10.0.1")).hasMessageContaining("\"10.0.1\"");
    assertThatThrownBy(() -> Ipv4.parseCidr("10.0.1.5")).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> Ipv4.parse("10.0.1.256")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void interfaceNamesFitTheKernelsLimit() {
    OverlayNetwork n =
        new OverlayNetwork("n1", "front", 16_777_215, "10.0.1.0/24", "10.0.1.1", false);
    assertThat(n.bridge()).isEqualTo("cbr16777215").hasSizeLessThanOrEqualTo(15);
    assertThat(n.vxlan()).isEqualTo("cvx16777215").hasSizeLessThanOrEqualTo(15);
    String id = "x".repeat(128);
    assertThat(NetworkPreparer.hostVeth(id, 9)).hasSizeLessThanOrEqualTo(15);
    assertThat(NetworkPreparer.taskVeth(id, 9)).hasSizeLessThanOrEqualTo(15);
    assertThat(NetworkPreparer.hostVeth("a", 0)).isNotEqualTo(NetworkPreparer.hostVeth("b", 0));
    assertThat(NetworkPreparer.hostVeth("a", 0)).isNotEqualTo(NetworkPreparer.hostVeth("a", 1));
  }

  @Test
  void overlayNetworkReadsTheAllocationAndNamesWhatIsMissing() throws Exception {
    Network.Builder n =
        Network.newBuilder()
            .setId("n1")
            .setSpec(
                NetworkSpec.newBuilder()
                    .setAnnotations(Annotations.newBuilder().setName("front"))
                    .setInternal(true))
            .setDriverState(
                Driver.newBuilder()
                    .setName("overlay")
                    .putOptions(OverlayNetwork.VNI_OPTION, "4097"))
            .setIpam(
                IPAMOptions.newBuilder()
                    .addConfigs(
                        IPAMConfig.newBuilder().setSubnet("10.0.1.0/24").setGateway("10.0.1.1")));
    OverlayNetwork o = OverlayNetwork.of(n.build());
    assertThat(o)
        .isEqualTo(new OverlayNetwork("n1", "front", 4097, "10.0.1.0/24", "10.0.1.1", true));
    assertThat(o.gatewayCidr()).isEqualTo("10.0.1.1/24");
    assertThatThrownBy(() -> OverlayNetwork.of(n.clone().clearDriverState().build()))
        .isInstanceOf(TaskBackend.TaskException.class)
        .hasMessageContaining("network \"front\"")
        .hasMessageContaining(OverlayNetwork.VNI_OPTION);
    assertThatThrownBy(() -> OverlayNetwork.of(n.clone().clearIpam().build()))
        .hasMessageContaining("no allocated subnet");
  }

  @Test
  void resolvConfPointsAtTheGatewayUnlessTheSpecNamesServers() {
    assertThat(ResolvConf.render("10.0.1.1", ContainerSpec.DNSConfig.getDefaultInstance()))
        .isEqualTo("nameserver 10.0.1.1\n");
    ContainerSpec.DNSConfig dns =
        ContainerSpec.DNSConfig.newBuilder()
            .addSearch("example.com")
            .addSearch("corp")
            .addOptions("ndots:2")
            .build();
    assertThat(ResolvConf.render("10.0.1.1", dns))
        .isEqualTo("nameserver 10.0.1.1\nsearch example.com corp\noptions ndots:2\n");
    assertThat(ResolvConf.render("10.0.1.1", dns.toBuilder().addNameservers("8.8.8.8").build()))
        .startsWith("nameserver 8.8.8.8\nsearch")
        .doesNotContain("10.0.1.1");
  }

  @Test
  void vipFileBalancesEveryProtocolAndRefusesEmptyVips() {
    String text =
        VipRules.render(
            List.of(
                new VipRules.Vip("svc1", "10.0.1.2/24", List.of("10.0.1.5", "10.0.1.6")),
                new VipRules.Vip("svc-2", "10.0.1.3/24", List.of())));
    assertThat(text)
        .isEqualTo(
            "table ip corral_lb {}\n"
                + "delete table ip corral_lb\n"
                + "table ip corral_lb {\n"
                + "  chain output {\n"
                + "    type nat hook output priority -100; policy accept;\n"
                + "    ip daddr vmap { 10.0.1.2 : jump svc_svc1 }\n"
                + "  }\n"
                + "  chain svc_svc1 {\n"
                + "    dnat ip to numgen inc mod 2 map { 0 : 10.0.1.5, 1 : 10.0.1.6 }\n"
                + "  }\n"
                + "  chain refuse {\n"
                + "    type filter hook output priority 0; policy accept;\n"
                + "    ip daddr { 10.0.1.3 } meta l4proto tcp reject with tcp reset\n"
                + "    ip daddr { 10.0.1.3 } reject\n"
                + "  }\n"
                + "}\n");
    assertThat(VipRules.render(List.of()))
        .isEqualTo("table ip corral_lb {}\ndelete table ip corral_lb\n");
  }

  @Test
  void vipsComeFromVipModeEntriesWithTheirHealthyTasks() {
    ServiceEndpoints vip =
        ServiceEndpoints.newBuilder()
            .setServiceId("s1")
            .setNetworkId("n1")
            .setVirtualIp("10.0.1.2/24")
            .addTasks(TaskEndpoint.newBuilder().setTaskId("t2").setAddress("10.0.1.7/24"))
            .addTasks(TaskEndpoint.newBuilder().setTaskId("t1").setAddress("10.0.1.5/24"))
            .addAttached(TaskEndpoint.newBuilder().setTaskId("t3").setAddress("10.0.1.9/24"))
            .build();
    ServiceEndpoints dnsrr =
        vip.toBuilder()
            .setServiceId("s2")
            .setMode(EndpointSpec.ResolutionMode.DNSRR)
            .setVirtualIp("")
            .build();
    assertThat(VipBalancer.vipsOf(List.of(dnsrr, vip)))
        .containsExactly(new VipRules.Vip("s1", "10.0.1.2/24", List.of("10.0.1.5", "10.0.1.7")));
    assertThat(
            VipBalancer.removedBackends(
                List.of(new VipRules.Vip("s1", "10.0.1.2", List.of("10.0.1.5", "10.0.1.7"))),
                List.of(new VipRules.Vip("s1", "10.0.1.2", List.of("10.0.1.7")))))
        .containsExactly("10.0.1.5");
  }

  @Test
  void nodeRulesMasqueradeOnlyNonInternalSubnetsLeavingTheirBridge() {
    OverlayNetwork front =
        new OverlayNetwork("n1", "front", 4096, "10.0.1.0/24", "10.0.1.1", false);
    OverlayNetwork back = new OverlayNetwork("n2", "back", 4097, "10.0.2.0/24", "10.0.2.1", true);
    assertThat(NodeRules.render(List.of(front, back)))
        .contains(
            "ip saddr 10.0.1.0/24 ip daddr != 10.0.1.0/24 oifname != \"cbr4096\" masquerade\n")
        .doesNotContain("10.0.2.0")
        .contains("iifname \"cbr4096\" oifname \"cbr*\" oifname != \"cbr4096\" drop\n")
        .contains("iifname \"cbr4097\" oifname != \"cbr4097\" drop\n");
    assertThat(NodeRules.render(List.of(back))).doesNotContain("masquerade");
    assertThat(NodeRules.render(List.of()))
        .isEqualTo("table ip corral_overlay {}\ndelete table ip corral_overlay\n");
  }

  @Test
  void peersAreTheRemoteAttachedTasksAndUpdatesAreDiffs() {
    ServiceEndpoints e =
        ServiceEndpoints.newBuilder()
            .setServiceId("s1")
            .setNetworkId("n1")
            .addAttached(
                TaskEndpoint.newBuilder()
                    .setNodeId("self")
                    .setNodeAddr("10.99.0.1")
                    .setAddress("10.0.1.5/24"))
            .addAttached(
                TaskEndpoint.newBuilder()
                    .setNodeId("other")
                    .setNodeAddr("10.99.0.2")
                    .setAddress("10.0.1.6/24"))
            .addAttached(
                TaskEndpoint.newBuilder()
                    .setNodeId("third")
                    .setNodeAddr("10.99.0.3")
                    .setAddress("10.0.1.7/24"))
            .build();
    PeerEntries.Peer six = new PeerEntries.Peer("10.0.1.6", "02:42:0a:00:01:06", "10.99.0.2");
    PeerEntries.Peer seven = new PeerEntries.Peer("10.0.1.7", "02:42:0a:00:01:07", "10.99.0.3");
    Set<PeerEntries.Peer> wanted = PeerEntries.wanted(List.of(e), "self");
    assertThat(wanted).containsExactly(six, seven);
    PeerEntries.Peer stale = new PeerEntries.Peer("10.0.1.8", "02:42:0a:00:01:08", "10.99.0.2");
    PeerEntries.Diff d = PeerEntries.diff(Set.of(six, stale), wanted);
    assertThat(d.remove()).containsExactly(stale);
    assertThat(d.add()).containsExactly(seven);
    assertThat(PeerEntries.diff(wanted, wanted).isEmpty()).isTrue();
  }

  @Test
  void programmedPeersAreReadBackFromTheKernel() {
    String neigh =
        "10.0.1.6 lladdr 02:42:0a:00:01:06 PERMANENT\n10.0.1.9 lladdr 02:42:0a:00:01:09 PERMANENT\n";
    String fdb =
        "3a:11:22:33:44:55 master cbr4096 permanent\n"
            + "02:42:0a:00:01:06 dst 10.99.0.2 self permanent\n";
    assertThat(PeerEntries.parse(neigh, fdb))
        .containsExactly(new PeerEntries.Peer("10.0.1.6", "02:42:0a:00:01:06", "10.99.0.2"));
  }
}
