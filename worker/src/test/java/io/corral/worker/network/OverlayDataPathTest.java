package io.corral.worker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.Annotations;
import io.corral.api.ContainerSpec;
import io.corral.api.Driver;
import io.corral.api.EndpointSpec;
import io.corral.api.IPAMConfig;
import io.corral.api.IPAMOptions;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.NetworkSpec;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import io.corral.api.TaskEndpoint;
import io.corral.api.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two "nodes" (network namespaces joined by a veth LAN, each driven through {@code ip netns exec
 * NODE}), one overlay network, a task on node A and two on node B: ping and TCP both ways across
 * the VXLAN, the overlay MTU, a VIP in A's namespace spread over B's two tasks (and following a
 * backend's removal), and release removing everything.
 */
@NeedsRoot
class OverlayDataPathTest {

  private static final String SUFFIX = Long.toString(ProcessHandle.current().pid());
  private static final String NODE_A = "npn-a" + SUFFIX;
  private static final String NODE_B = "npn-b" + SUFFIX;
  private static final String UNDER_A = "10.231.0.1";
  private static final String UNDER_B = "10.231.0.2";
  private static final String VIP = "10.232.1.2/24";

  private final Commands host = Commands.local();
  private final List<Process> servers = new ArrayList<>();
  private final List<OverlayDataPath> paths = new ArrayList<>();
  private final Set<String> taskIds = ConcurrentHashMap.newKeySet();

  @TempDir Path tmp;

  @AfterEach
  void cleanUp() {
    servers.forEach(Process::destroyForcibly);
    paths.forEach(OverlayDataPath::close);
    for (String id : taskIds) {
      host.attempt("ip", "netns", "del", NamespaceProvider.nameOf(id));
      host.attempt("rm", "-rf", "/etc/netns/" + NamespaceProvider.nameOf(id));
    }
    // Deleting a node namespace takes its bridges, VXLAN devices and veths with it.
    host.attempt("ip", "netns", "del", NODE_A);
    host.attempt("ip", "netns", "del", NODE_B);
  }

  @Test
  void tasksOnTwoNodesReachEachOtherAndTheVip() throws Exception {
    host.run("ip", "netns", "add", NODE_A);
    host.run("ip", "netns", "add", NODE_B);
    host.run(
        "ip",
        "link",
        "add",
        "npa" + SUFFIX,
        "netns",
        NODE_A,
        "type",
        "veth",
        "peer",
        "name",
        "npb" + SUFFIX,
        "netns",
        NODE_B);
    Commands a = Commands.prefixed(List.of("ip", "netns", "exec", NODE_A));
    Commands b = Commands.prefixed(List.of("ip", "netns", "exec", NODE_B));
    a.run("ip", "addr", "add", UNDER_A + "/24", "dev", "npa" + SUFFIX);
    b.run("ip", "addr", "add", UNDER_B + "/24", "dev", "npb" + SUFFIX);
    for (Commands n : List.of(a, b)) {
      n.run("ip", "link", "set", "lo", "up");
    }
    a.run("ip", "link", "set", "npa" + SUFFIX, "up");
    b.run("ip", "link", "set", "npb" + SUFFIX, "up");

    Network net = network();
    String ta = "npta" + SUFFIX;
    String tb = "nptb" + SUFFIX;
    String tc = "nptc" + SUFFIX;
    taskIds.addAll(List.of(ta, tb, tc));
    TaskEndpoint ea = endpoint(ta, "node-a", UNDER_A, "10.232.1.5/24");
    TaskEndpoint eb = endpoint(tb, "node-b", UNDER_B, "10.232.1.6/24");
    TaskEndpoint ec = endpoint(tc, "node-b", UNDER_B, "10.232.1.7/24");
    ServiceEndpoints web =
        ServiceEndpoints.newBuilder()
            .setServiceId("web")
            .setServiceName("web")
            .setNetworkId(net.getId())
            .setMode(EndpointSpec.ResolutionMode.VIP)
            .setVirtualIp(VIP)
            .addAllTasks(List.of(eb, ec))
            .addAllAttached(List.of(eb, ec))
            .build();
    ServiceEndpoints client =
        ServiceEndpoints.newBuilder()
            .setServiceId("client")
            .setServiceName("client")
            .setNetworkId(net.getId())
            .setMode(EndpointSpec.ResolutionMode.DNSRR)
            .addTasks(ea)
            .addAttached(ea)
            .build();
    EndpointTable tableA = new EndpointTable();
    EndpointTable tableB = new EndpointTable();
    tableA.replaceAll(List.of(web, client));
    tableB.replaceAll(List.of(web, client));
    Set<String> upOnA = ConcurrentHashMap.newKeySet();
    OverlayDataPath pathA = start(a, tableA, "node-a", UNDER_A, "a", upOnA);
    OverlayDataPath pathB = start(b, tableB, "node-b", UNDER_B, "b", ConcurrentHashMap.newKeySet());

    pathA.preparer().prepare(task(ta, net, "10.232.1.5/24"));
    pathB.preparer().prepare(task(tb, net, "10.232.1.6/24"));
    pathB.preparer().prepare(task(tc, net, "10.232.1.7/24"));
    assertThat(upOnA).containsExactly(net.getId() + "@10.232.1.1");

    Commands inA = host.inNamespace(NamespaceProvider.nameOf(ta));
    Commands inB = host.inNamespace(NamespaceProvider.nameOf(tb));
    Commands inC = host.inNamespace(NamespaceProvider.nameOf(tc));
    assertThat(inA.run("ip", "-o", "link", "show", "dev", "eth0"))
        .contains("mtu 1450")
        .contains("02:42:0a:e8:01:05");
    assertThat(a.run("ip", "-o", "link", "show", "dev", "cvx4242")).contains("mtu 1450");
    assertThat(a.run("ip", "-o", "link", "show", "dev", "cbr4242")).contains("mtu 1450");
    assertThat(inA.run("ip", "route", "show", "default")).contains("via 10.232.1.1");
    assertThat(Files.readString(Path.of("/etc/netns", NamespaceProvider.nameOf(ta), "resolv.conf")))
        .isEqualTo("nameserver 10.232.1.1\n");

    // Ping both ways across the VXLAN, and from one node's two tasks to each other on its bridge.
    await().atMost(Duration.ofSeconds(10)).until(() -> ping(inA, "10.232.1.6"));
    await().atMost(Duration.ofSeconds(10)).until(() -> ping(inB, "10.232.1.5"));
    await().atMost(Duration.ofSeconds(10)).until(() -> ping(inB, "10.232.1.7"));

    // TCP both ways: a web server in every task answers its own name.
    serve(ta, "a");
    serve(tb, "b");
    serve(tc, "c");
    await().atMost(Duration.ofSeconds(10)).until(() -> "b".equals(get(inA, "10.232.1.6")));
    await().atMost(Duration.ofSeconds(10)).until(() -> "a".equals(get(inB, "10.232.1.5")));
    await().atMost(Duration.ofSeconds(10)).until(() -> "a".equals(get(inC, "10.232.1.5")));

    // The VIP in A's namespace spreads over both of web's tasks.
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      answered.add(get(inA, "10.232.1.2"));
    }
    assertThat(answered).containsExactlyInAnyOrder("b", "c");

    // Backend b leaves web's backends: the VIP reaches only c, at once after the table changes.
    tableA.replaceAll(List.of(web.toBuilder().clearTasks().addTasks(ec).build(), client));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> inA.run("nft", "list", "table", "ip", "corral_lb").contains("mod 1"));
    for (int i = 0; i < 4; i++) {
      assertThat(get(inA, "10.232.1.2")).isEqualTo("c");
    }
    // No backends at all: refused, not black-holed.
    tableA.replaceAll(List.of(web.toBuilder().clearTasks().build(), client));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> inA.run("nft", "list", "table", "ip", "corral_lb").contains("reject"));
    Commands.Result refused =
        inA.attempt(
            "busybox",
            "timeout",
            "5",
            "busybox",
            "wget",
            "-q",
            "-O",
            "-",
            "http://10.232.1.2:8080/");
    assertThat(refused.ok()).isFalse();
    assertThat(refused.stderr()).containsIgnoringCase("refused");

    // A daemon restart on node A: a new data path on the same state adopts the task's namespace
    // and the network's devices as they are, and leaves the VIP table until the table arrives.
    String bridgeBefore = a.run("ip", "-o", "link", "show", "dev", "cbr4242").split(":")[0];
    assertThat(a.run("nft", "list", "table", "ip", NodeRules.TABLE)).contains("masquerade");
    pathA.close();
    OverlayDataPath restartedA = start(a, new EndpointTable(), "node-a", UNDER_A, "a", upOnA);
    assertThat(a.run("ip", "-o", "link", "show", "dev", "cbr4242").split(":")[0])
        .isEqualTo(bridgeBefore);
    assertThat(inA.run("nft", "list", "table", "ip", "corral_lb")).contains("reject");
    assertThat(get(inA, "10.232.1.6")).isEqualTo("b");
    assertThat(a.run("ip", "neigh", "show", "dev", "cvx4242")).contains("10.232.1.6");

    // B's peers follow its table: a's entry goes when a leaves it.
    assertThat(b.run("ip", "neigh", "show", "dev", "cvx4242")).contains("10.232.1.5");
    tableB.replaceAll(List.of(web));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !b.run("ip", "neigh", "show", "dev", "cvx4242").contains("10.232.1.5"));
    // (The bridge may still hold what it learned from a's frames; that ages out.)
    assertThat(b.run("bridge", "fdb", "show", "dev", "cvx4242"))
        .doesNotContain("02:42:0a:e8:01:05 dst");

    // Release: the tasks' namespaces, veths and files go, and the network's devices with the last.
    servers.forEach(Process::destroyForcibly);
    restartedA.preparer().release(ta);
    pathB.preparer().release(tb);
    assertThat(b.attempt("ip", "link", "show", "dev", "cbr4242").ok()).isTrue();
    pathB.preparer().release(tc);
    for (Commands n : List.of(a, b)) {
      assertThat(n.attempt("ip", "link", "show", "dev", "cbr4242").ok()).isFalse();
      assertThat(n.attempt("ip", "link", "show", "dev", "cvx4242").ok()).isFalse();
      assertThat(n.attempt("nft", "list", "table", "ip", NodeRules.TABLE).ok()).isFalse();
      assertThat(n.run("ip", "-o", "link", "show")).doesNotContain("cv");
    }
    assertThat(upOnA).isEmpty();
    String namespaces = host.run("ip", "netns", "list");
    for (String id : List.of(ta, tb, tc)) {
      assertThat(namespaces).doesNotContain(NamespaceProvider.nameOf(id));
      assertThat(Path.of("/etc/netns", NamespaceProvider.nameOf(id))).doesNotExist();
    }
    assertThat(tmp.resolve("a")).isEmptyDirectory();
  }

  private OverlayDataPath start(
      Commands node,
      EndpointTable table,
      String nodeId,
      String underlay,
      String dir,
      Set<String> up) {
    OverlayDataPath p =
        OverlayDataPath.start(
            node,
            table,
            nodeId,
            underlay,
            // Names made in the host's mount namespace, as the daemon in production does (the
            // node prefix runs each command in a mount namespace of its own that dies with it).
            new ProcessNamespaces(host),
            tmp.resolve(dir),
            new NetworkListener() {
              @Override
              public void up(String networkId, String gateway) {
                up.add(networkId + "@" + gateway);
              }

              @Override
              public void down(String networkId) {
                up.removeIf(s -> s.startsWith(networkId + "@"));
              }
            });
    paths.add(p);
    return p;
  }

  private static boolean ping(Commands in, String address) {
    return in.attempt("busybox", "ping", "-c", "1", "-W", "1", address).ok();
  }

  private static String get(Commands in, String address) {
    Commands.Result r =
        in.attempt(
            "busybox",
            "timeout",
            "5",
            "busybox",
            "wget",
            "-q",
            "-O",
            "-",
            "http://" + address + ":8080/");
    return r.ok() ? r.stdout().strip() : "failed: " + r.stderr().strip();
  }

  private void serve(String taskId, String name) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("www-" + name));
    Files.writeString(root.resolve("index.html"), name + "\n");
    List<String> cmd = new ArrayList<>(host.inNamespace(NamespaceProvider.nameOf(taskId)).prefix());
    cmd.addAll(List.of("busybox", "httpd", "-f", "-p", "8080", "-h", root.toString()));
    servers.add(new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  private static Network network() {
    return Network.newBuilder()
        .setId("net-it")
        .setSpec(NetworkSpec.newBuilder().setAnnotations(Annotations.newBuilder().setName("front")))
        .setDriverState(
            Driver.newBuilder().setName("overlay").putOptions(OverlayNetwork.VNI_OPTION, "4242"))
        .setIpam(
            IPAMOptions.newBuilder()
                .addConfigs(
                    IPAMConfig.newBuilder().setSubnet("10.232.1.0/24").setGateway("10.232.1.1")))
        .build();
  }

  private static TaskEndpoint endpoint(String taskId, String node, String addr, String address) {
    return TaskEndpoint.newBuilder()
        .setTaskId(taskId)
        .setNodeId(node)
        .setNodeAddr(addr)
        .setAddress(address)
        .build();
  }

  private static Task task(String id, Network net, String address) {
    return Task.newBuilder()
        .setId(id)
        .setSpec(TaskSpec.newBuilder().setContainer(ContainerSpec.getDefaultInstance()))
        .addNetworks(NetworkAttachment.newBuilder().setNetwork(net).addAddresses(address))
        .build();
  }
}
