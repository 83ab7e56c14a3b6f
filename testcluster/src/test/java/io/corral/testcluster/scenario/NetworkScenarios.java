package io.corral.testcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.ControlGrpc;
import io.corral.api.Endpoint;
import io.corral.api.ListNodesRequest;
import io.corral.api.ListServicesRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.NetworkAttachment;
import io.corral.api.Node;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.cli.DaemonChannels;
import io.corral.testcluster.cluster.TestCluster;
import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Shell;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 10's overlay-network scenarios on 3 managers + 2 workers, run once per executor by the
 * subclasses: networks and services are made with the CLI, tasks are pinned to nodes with {@code
 * node.hostname==…} constraints, and every check is made from inside a client task (busybox {@code
 * wget}, {@code ping}, {@code nslookup} run in its namespaces, see {@link #inTask}) against the
 * addresses, VIPs and gateways the control API reports. Each task runs the web image, which answers
 * {@code GET /} with its own address, so a client can tell who answered. The tests share one
 * cluster; after each, every service and network is removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class NetworkScenarios {

  /** Covers a leader election after a kill -9, a daemon restart and tasks on five nodes. */
  static final Duration CONVERGE = Duration.ofSeconds(120);

  /** One client command (a request, a lookup) never waits longer than this. */
  static final Duration COMMAND = Duration.ofSeconds(60);

  TestCluster cluster;

  /** Networks the current test created, removed after it. */
  private final Set<String> created = new LinkedHashSet<>();

  /** Options that select the executor, e.g. {@code --executor process}. */
  abstract List<String> executorOptions();

  /** Makes the web image available to every node. */
  abstract void prepareImages();

  /** The web image's reference, for {@code service create}. */
  abstract String webImage();

  /**
   * The command line that runs {@code command} inside the running task {@code task} on {@code
   * node}.
   */
  abstract List<String> inTask(Task task, String node, List<String> command);

  /** Skips the class (with an assumption) when the executor cannot run here. */
  void assumeExecutorAvailable() {}

  @BeforeAll
  void up() {
    assumeExecutorAvailable();
    cluster =
        TestCluster.builder()
            .managers(3)
            .workers(2)
            .daemonOptions(executorOptions().toArray(String[]::new))
            .build()
            .up();
    prepareImages();
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * Removes every service, then the networks the test made (refused until no service uses them;
   * networks the swarm made itself, such as an ingress network, stay).
   */
  @AfterEach
  void reset() {
    if (cluster == null) {
      return;
    }
    for (String id : lines(cli("service", "ls", "-q").orThrow().stdout())) {
      cli("service", "rm", id).orThrow();
    }
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              List<String> left =
                  lines(cli("network", "ls", "--format", "{{.Name}}").orThrow().stdout());
              for (String name : created) {
                if (left.contains(name)) {
                  cli("network", "rm", name).orThrow();
                }
              }
              assertThat(lines(cli("network", "ls", "--format", "{{.Name}}").orThrow().stdout()))
                  .doesNotContainAnyElementsOf(created);
            });
    created.clear();
  }

  // ---- the cluster, through the CLI and the control API ----

  /** A manager whose daemon runs (the leader may be the one a test killed). */
  String anyManager() {
    return cluster.managers().stream().filter(cluster::isRunning).findFirst().orElseThrow();
  }

  CommandResult cli(String... args) {
    return cluster.corral(anyManager(), args);
  }

  private <T> T control(Function<ControlGrpc.ControlBlockingStub, T> call) {
    ManagedChannel ch = DaemonChannels.open(cluster.socket(anyManager()).toString());
    try {
      return call.apply(ControlGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS));
    } finally {
      ch.shutdownNow();
    }
  }

  static List<String> lines(String out) {
    return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** {@code network create -d overlay OPTIONS NAME}. */
  void network(String name, String... options) {
    List<String> args = new ArrayList<>(List.of("network", "create", "-d", "overlay"));
    args.addAll(List.of(options));
    args.add(name);
    created.add(name);
    cli(args.toArray(String[]::new)).orThrow();
  }

  /**
   * {@code service create -d --name NAME --replicas N OPTIONS IMAGE} of the web image; {@code
   * options} give its networks and constraints.
   */
  void service(String name, int replicas, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of("service", "create", "-d", "--name", name, "--replicas", "" + replicas));
    args.addAll(List.of(options));
    args.add(webImage());
    cli(args.toArray(String[]::new)).orThrow();
  }

  static String[] on(String network, String node) {
    return new String[] {"--network", network, "--constraint", "node.hostname==" + node};
  }

  Optional<Service> findService(String name) {
    return control(
        c ->
            c.listServices(ListServicesRequest.getDefaultInstance()).getServicesList().stream()
                .filter(s -> s.getSpec().getAnnotations().getName().equals(name))
                .findFirst());
  }

  List<Task> tasks(String service) {
    String id =
        findService(service).orElseThrow(() -> new AssertionError("no service " + service)).getId();
    return control(
        c ->
            c.listTasks(
                    ListTasksRequest.newBuilder()
                        .setFilters(ListTasksRequest.Filters.newBuilder().addServiceIds(id))
                        .build())
                .getTasksList());
  }

  Map<String, String> hostnames() {
    return control(
        c ->
            c.listNodes(ListNodesRequest.getDefaultInstance()).getNodesList().stream()
                .collect(Collectors.toMap(Node::getId, n -> n.getDescription().getHostname())));
  }

  static boolean runs(Task t) {
    return t.getDesiredState() == TaskState.RUNNING
        && t.getStatus().getState() == TaskState.RUNNING;
  }

  /** Waits until exactly {@code count} tasks of the service run, each with an address. */
  List<Task> awaitRunning(String service, int count) {
    return await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              List<Task> running = tasks(service).stream().filter(NetworkScenarios::runs).toList();
              long wanted =
                  tasks(service).stream()
                      .filter(t -> t.getDesiredState() == TaskState.RUNNING)
                      .count();
              boolean addressed =
                  running.stream()
                      .allMatch(
                          t ->
                              !t.getNetworksList().isEmpty()
                                  && t.getNetworksList().stream()
                                      .allMatch(a -> a.getAddressesCount() > 0));
              return running.size() == count && wanted == count && addressed ? running : null;
            },
            r -> r != null);
  }

  Task awaitOne(String service) {
    return awaitRunning(service, 1).get(0);
  }

  /** The task's address on the network named {@code network}, without its prefix length. */
  static String address(Task t, String network) {
    return attachment(t, network).getAddresses(0).split("/")[0];
  }

  static NetworkAttachment attachment(Task t, String network) {
    return t.getNetworksList().stream()
        .filter(a -> a.getNetwork().getSpec().getAnnotations().getName().equals(network))
        .findFirst()
        .orElseThrow(() -> new AssertionError("task " + t.getId() + " is not on " + network));
  }

  static Set<String> addresses(Collection<Task> tasks, String network) {
    return tasks.stream().map(t -> address(t, network)).collect(Collectors.toSet());
  }

  /** The service's VIP on {@code network}, without its prefix length, if it has one. */
  Optional<String> vip(String service, String network) {
    Service s = findService(service).orElseThrow();
    String networkId =
        control(
            c ->
                c
                    .listNetworks(io.corral.api.ListNetworksRequest.getDefaultInstance())
                    .getNetworksList()
                    .stream()
                    .filter(n -> n.getSpec().getAnnotations().getName().equals(network))
                    .findFirst()
                    .orElseThrow()
                    .getId());
    return s.getEndpoint().getVirtualIpsList().stream()
        .filter(v -> v.getNetworkId().equals(networkId))
        .map(Endpoint.VirtualIP::getAddr)
        .map(a -> a.split("/")[0])
        .findFirst();
  }

  // ---- commands inside a task ----
  // busybox 1.35's wget -T crashes (SIGSEGV) after every request, answered or not: requests are
  // bounded with busybox timeout instead.

  /** Runs busybox {@code APPLET ARGS} inside the task, through the executor's {@link #inTask}. */
  CommandResult inTask(Task task, String... busyboxApplet) {
    List<String> command = new ArrayList<>(List.of("busybox"));
    command.addAll(List.of(busyboxApplet));
    String node = hostnames().get(task.getNodeId());
    return Shell.run(inTask(task, node, command), COMMAND);
  }

  /** {@code GET http://HOST/} from the task: the answering task's address, or empty on failure. */
  Optional<String> http(Task client, String host) {
    CommandResult r =
        inTask(client, "timeout", "3", "busybox", "wget", "-q", "-O", "-", "http://" + host + "/");
    return r.ok() ? Optional.of(r.stdout().strip()) : Optional.empty();
  }

  boolean ping(Task client, String host) {
    return inTask(client, "ping", "-c", "1", "-W", "2", host).ok();
  }

  /** {@code nslookup -type=a NAME} through the resolver the task's resolv.conf names. */
  NsLookup lookup(Task client, String name) {
    CommandResult r = inTask(client, "nslookup", "-type=a", name);
    return NsLookup.parse(r.stdout(), r.stderr());
  }

  /**
   * {@code count} requests to {@code http://HOST/} in one shell loop inside the task: the answers
   * in order, {@code FAIL} for a request that failed.
   */
  List<String> requests(Task client, String host, int count) {
    CommandResult r =
        inTask(
            client,
            "sh",
            "-c",
            "for i in $(busybox seq "
                + count
                + "); do busybox timeout 3 busybox wget -q -O - http://"
                + host
                + "/ || echo FAIL; done");
    return lines(r.orThrow().stdout());
  }

  // ---- the scenarios ----

  @Test
  @Order(1)
  void removingANetworkInUseIsRefusedNamingTheService() {
    network("front");
    service("web", 1, "--network", "front");
    CommandResult r = cli("network", "rm", "front");
    assertThat(r.ok()).as("network rm of a network in use: %s", r).isFalse();
    assertThat(r.stderr()).contains("web");
    assertThat(lines(cli("network", "ls", "--format", "{{.Name}}").orThrow().stdout()))
        .contains("front");
    cli("service", "rm", "web").orThrow();
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(cli("network", "rm", "front").ok()).isTrue());
    assertThat(lines(cli("network", "ls", "--format", "{{.Name}}").orThrow().stdout()))
        .doesNotContain("front");
  }

  @Test
  @Order(2)
  void tasksOnTwoNodesReachEachOtherByAddressServiceNameAndTasksName() {
    network("front");
    service("web", 1, on("front", "w1"));
    service("client", 1, "--network", "name=front,alias=peer", "--constraint", "node.hostname==w2");
    Task web = awaitOne("web");
    Task client = awaitOne("client");
    String webAddr = address(web, "front");
    String clientAddr = address(client, "front");
    String vip = vip("web", "front").orElseThrow(() -> new AssertionError("web has no VIP"));
    // The client may run before web does and before its own node has web's endpoints: wait for
    // the first answer, then expect every other way to answer at once.
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(http(client, "web")).contains(webAddr));
    assertThat(ping(client, webAddr)).as("ping %s by address", webAddr).isTrue();
    assertThat(ping(client, "tasks.web")).as("ping tasks.web").isTrue();
    assertThat(http(client, webAddr)).as("GET by address").contains(webAddr);
    assertThat(http(client, "tasks.web")).as("GET tasks.web").contains(webAddr);
    assertThat(http(client, vip)).as("GET the VIP").contains(webAddr);
    assertThat(lookup(client, "web").addresses()).containsExactly(vip);
    assertThat(lookup(client, "tasks.web").addresses()).containsExactly(webAddr);
    // A task's own name (<service>.<slot>.<task id>) names its address.
    assertThat(lookup(client, "web.1." + web.getId()).addresses()).containsExactly(webAddr);
    // And back, from w1 to w2, by name, tasks.NAME and the network alias.
    assertThat(ping(web, clientAddr)).isTrue();
    assertThat(http(web, "client")).contains(clientAddr);
    assertThat(http(web, "tasks.client")).contains(clientAddr);
    assertThat(http(web, "peer")).as("GET the alias peer").contains(clientAddr);
  }

  @Test
  @Order(3)
  void requestsToAThreeReplicaVipReachAllThree() {
    network("front");
    service("web", 3, "--network", "front");
    service("client", 1, on("front", "w2"));
    Set<String> backends = addresses(awaitRunning("web", 3), "front");
    Task client = awaitOne("client");
    // The client's node learns the backends for its DNS and its VIP table from the same update.
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(lookup(client, "tasks.web").addresses())
                    .containsExactlyInAnyOrderElementsOf(backends));
    List<String> answers = requests(client, "web", 30);
    assertThat(answers).doesNotContain("FAIL").hasSize(30);
    assertThat(new HashSet<>(answers)).as("distinct responders of 30 requests").isEqualTo(backends);
  }

  @Test
  @Order(4)
  void scalingDownRemovesTheStoppedTasksFromDnsAndTheVipWithoutAFailedRequest() {
    network("front");
    service("web", 3, "--network", "front", "--constraint", "node.role==manager");
    service("client", 1, on("front", "w1"));
    List<Task> before = awaitRunning("web", 3);
    Task client = awaitOne("client");
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(lookup(client, "tasks.web").addresses())
                    .containsExactlyInAnyOrderElementsOf(addresses(before, "front")));
    // A loop of requests by service name (the VIP) and by tasks.web (the first DNS answer) runs in
    // the client, appending to a file, until a stop file appears.
    String out = "/tmp/corral-loop-" + client.getId() + ".out";
    String stop = "/tmp/corral-loop-" + client.getId() + ".stop";
    CompletableFuture<CommandResult> loop =
        CompletableFuture.supplyAsync(
            () ->
                Shell.run(
                    inTask(
                        client,
                        hostnames().get(client.getNodeId()),
                        List.of(
                            "busybox",
                            "sh",
                            "-c",
                            "rm -f "
                                + stop
                                + "; while [ ! -e "
                                + stop
                                + " ]; do for h in web tasks.web; do"
                                + " busybox timeout 3 busybox wget -q -O - http://$h/ || echo FAIL $h; done; done"
                                + " >"
                                + out
                                + " 2>&1")),
                    CONVERGE.multipliedBy(2)));
    awaitLoopLines(client, out, 20);
    cli("service", "scale", "-d", "web=1").orThrow();
    Task survivor = awaitRunning("web", 1).get(0);
    String kept = address(survivor, "front");
    Set<String> removed = new HashSet<>(addresses(before, "front"));
    removed.remove(kept);
    // The removed tasks have stopped (a scale-down removes them from the store once they have);
    // the loop goes on a while past that.
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(tasks("web"))
                    .filteredOn(t -> !t.getId().equals(survivor.getId()))
                    .allSatisfy(
                        t ->
                            assertThat(t.getStatus().getState().getNumber())
                                .isGreaterThanOrEqualTo(TaskState.COMPLETE_VALUE)));
    int seen = loopLines(client, out).size();
    awaitLoopLines(client, out, seen + 20);
    inTask(client, "touch", stop).orThrow();
    loop.join().orThrow();
    List<String> answers = loopLines(client, out);
    assertThat(answers)
        .as("requests through the scale-down (and wget's errors)")
        .allSatisfy(a -> assertThat(addresses(before, "front")).contains(a));
    assertThat(answers.subList(seen, answers.size()))
        .as("answers after the removed tasks stopped")
        .containsOnly(kept);
    assertThat(lookup(client, "tasks.web").addresses()).containsExactly(kept);
    assertThat(requests(client, "web", 10)).containsOnly(kept);
    for (String gone : removed) {
      assertThat(http(client, gone)).as("GET the stopped task %s", gone).isEmpty();
    }
    inTask(client, "rm", "-f", out, stop);
  }

  private List<String> loopLines(Task client, String file) {
    return lines(inTask(client, "cat", file).stdout());
  }

  private void awaitLoopLines(Task client, String file, int atLeast) {
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> assertThat(loopLines(client, file)).hasSizeGreaterThanOrEqualTo(atLeast));
  }

  @Test
  @Order(5)
  void aTaskOnAnotherNetworkCannotResolveOrReachTheService() {
    network("front");
    network("back");
    service("web", 1, on("front", "w1"));
    service("client", 1, on("front", "w2"));
    // One outsider on the same node as web (the node has a front bridge), one on another node.
    service("near", 1, on("back", "w1"));
    service("far", 1, on("back", "w2"));
    Task web = awaitOne("web");
    Task client = awaitOne("client");
    String webAddr = address(web, "front");
    String vip = vip("web", "front").orElseThrow();
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(http(client, "web")).contains(webAddr));
    for (String outsider : List.of("near", "far")) {
      Task t = awaitOne(outsider);
      // Its own network's names resolve (its resolver works) ...
      await()
          .atMost(CONVERGE)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  assertThat(lookup(t, "tasks." + outsider).addresses())
                      .containsExactly(address(t, "back")));
      // ... the other network's do not, and its addresses are out of reach.
      for (String name : List.of("web", "tasks.web", "client")) {
        NsLookup l = lookup(t, name);
        assertThat(l.nxdomain()).as("%s looks up %s: %s", outsider, name, l.output()).isTrue();
        assertThat(l.addresses()).isEmpty();
      }
      assertThat(http(t, webAddr)).as("%s GETs web's address", outsider).isEmpty();
      assertThat(http(t, vip)).as("%s GETs web's VIP", outsider).isEmpty();
      assertThat(ping(t, webAddr)).as("%s pings web's address", outsider).isFalse();
    }
  }

  @Test
  @Order(6)
  void dnsrrAnswersWithEveryTaskAddressAndHasNoVip() {
    network("front");
    service("rr", 3, "--network", "front", "--endpoint-mode", "dnsrr");
    service("client", 1, on("front", "w2"));
    Set<String> backends = addresses(awaitRunning("rr", 3), "front");
    Task client = awaitOne("client");
    assertThat(vip("rr", "front")).isEmpty();
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(lookup(client, "rr").addresses())
                    .containsExactlyInAnyOrderElementsOf(backends));
    assertThat(lookup(client, "tasks.rr").addresses())
        .containsExactlyInAnyOrderElementsOf(backends);
    assertThat(http(client, "rr")).hasValueSatisfying(a -> assertThat(backends).contains(a));
  }

  @Test
  @Order(7)
  void anInternalNetworkHasNoRouteOutAndAnOtherOneHas() {
    network("sealed", "--internal");
    network("open");
    service("inside", 1, on("sealed", "w1"));
    service("outside", 1, on("open", "w1"));
    Task inside = awaitOne("inside");
    Task outside = awaitOne("outside");
    // m1's LAN address: a host outside every overlay, reached through the node (masquerade).
    String lanHost = cluster.address("m1");
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> assertThat(ping(outside, lanHost)).as("open pings %s", lanHost).isTrue());
    assertThat(inTask(outside, "ip", "route").stdout()).contains("default");
    assertThat(inTask(inside, "ip", "route").stdout()).doesNotContain("default");
    assertThat(ping(inside, lanHost)).as("sealed pings %s", lanHost).isFalse();
    // Its own network still works.
    assertThat(ping(inside, address(inside, "sealed"))).isTrue();
  }

  @Test
  @Order(8)
  void daemonRestartsKeepRunningTasksReachable() {
    network("front");
    service("web", 1, on("front", "w1"));
    service("client", 1, on("front", "w2"));
    Task web = awaitOne("web");
    Task client = awaitOne("client");
    String webAddr = address(web, "front");
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(http(client, "web")).contains(webAddr));
    // The data path lives in the kernel: a dead daemon does not cut it.
    cluster.kill("w1");
    assertThat(http(client, webAddr))
        .as("GET web's address while w1's daemon is down")
        .contains(webAddr);
    cluster.restart("w1");
    cluster.kill("w2");
    assertThat(http(client, webAddr)).as("GET from w2 while its daemon is down").contains(webAddr);
    cluster.restart("w2");
    // The same tasks run (adopted, not replaced) and answer by address, name and tasks.NAME.
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(awaitOne("web").getId()).isEqualTo(web.getId());
              assertThat(awaitOne("client").getId()).isEqualTo(client.getId());
              assertThat(http(client, "web")).contains(webAddr);
              assertThat(http(client, "tasks.web")).contains(webAddr);
            });
    assertThat(http(client, webAddr)).contains(webAddr);
    assertThat(http(web, "client")).contains(address(client, "front"));
  }

  @Test
  @Order(9)
  void aLeaderFailoverGivesNoAddressTwice() {
    network("front");
    service("web", 6, "--network", "front");
    awaitRunning("web", 6);
    String leader = leaderHost();
    String other =
        cluster.managers().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();
    cluster.kill(leader);
    // Until a new leader is elected the CLI is refused; both commands are safe to repeat.
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(() -> cluster.corral(other, "service", "scale", "-d", "web=12").orThrow());
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              if (findService("more").isEmpty()) {
                service("more", 4, "--network", "front");
              }
            });
    List<Task> all = new ArrayList<>(awaitRunning("web", 12));
    all.addAll(awaitRunning("more", 4));
    cluster.restart(leader);
    List<String> taken = new ArrayList<>();
    all.forEach(t -> taken.add(address(t, "front")));
    // A restarted manager answers reads from its own copy of the store, which catches up with
    // the leader's a moment after it starts.
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(vip("web", "front")).isPresent();
              assertThat(vip("more", "front")).isPresent();
            });
    taken.add(vip("web", "front").orElseThrow());
    taken.add(vip("more", "front").orElseThrow());
    assertThat(taken).as("task addresses and VIPs on front").hasSize(18).doesNotHaveDuplicates();
    // Every task that is not yet terminated holds an address of its own, not only running ones.
    assertThat(tasks("web"))
        .filteredOn(t -> t.getStatus().getState().getNumber() < TaskState.COMPLETE_VALUE)
        .extracting(t -> address(t, "front"))
        .doesNotHaveDuplicates();
  }

  private String leaderHost() {
    return NodeRow.parse(cli("node", "ls", "--format", "json").orThrow().stdout()).stream()
        .filter(n -> n.managerStatus().equals("Leader"))
        .map(NodeRow::hostname)
        .findFirst()
        .orElseThrow();
  }
}
