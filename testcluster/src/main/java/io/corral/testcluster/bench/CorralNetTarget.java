package io.corral.testcluster.bench;

import io.corral.api.ControlGrpc;
import io.corral.api.Endpoint;
import io.corral.api.ListNetworksRequest;
import io.corral.api.ListNodesRequest;
import io.corral.api.ListServicesRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.NetworkAttachment;
import io.corral.api.Node;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.cli.DaemonChannels;
import io.corral.common.ProtoTime;
import io.corral.testcluster.cluster.ExampleImages;
import io.corral.testcluster.cluster.TaskExec;
import io.corral.testcluster.cluster.TestCluster;
import io.corral.testcluster.net.CommandResult;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Corral with the process executor on a testcluster of 3 managers + 2 workers: network {@code
 * bench}, services {@code srv} (VIP) and {@code srv-rr} (dnsrr) of {@link ExampleImages#WEB} pinned
 * to w1, and a global {@code cli} of the same image, one task per node; the probe runs in a client
 * task's network and mount namespaces (so it reads that task's resolv.conf).
 */
final class CorralNetTarget implements NetworkTarget {

  static final String NETWORK = "bench";
  static final String SERVER_NODE = "w1";
  static final String TIMING_NODE = "w2";

  private final TestCluster cluster;
  private final List<String> probeJvm;

  private CorralNetTarget(TestCluster cluster, List<String> probeJvm) {
    this.cluster = cluster;
    this.probeJvm = probeJvm;
  }

  /** Starts the cluster and the services, and waits until every task runs with an address. */
  static CorralNetTarget start(List<String> probeJvm, java.time.Duration timeout) {
    TestCluster cluster =
        TestCluster.builder()
            .name("net-bench")
            .managers(3)
            .workers(2)
            .daemonOptions("--executor", "process")
            .build()
            .up();
    CorralNetTarget t = new CorralNetTarget(cluster, probeJvm);
    try {
      ExampleImages.write(cluster);
      UpdateBench.awaitNodesReady(cluster);
      t.cli("network", "create", "-d", "overlay", NETWORK);
      String pin = "node.hostname==" + SERVER_NODE;
      t.cli(
          "service",
          "create",
          "-d",
          "--name",
          "srv",
          "--network",
          NETWORK,
          "--constraint",
          pin,
          ExampleImages.WEB);
      t.cli(
          "service",
          "create",
          "-d",
          "--name",
          "srv-rr",
          "--network",
          NETWORK,
          "--endpoint-mode",
          "dnsrr",
          "--constraint",
          pin,
          ExampleImages.WEB);
      t.cli(
          "service",
          "create",
          "-d",
          "--name",
          "cli",
          "--mode",
          "global",
          "--network",
          NETWORK,
          ExampleImages.WEB);
      NetworkBench.await(
          timeout,
          "srv, srv-rr and a cli task on every node running",
          () ->
              t.running("srv").size() == 1
                  && t.running("srv-rr").size() == 1
                  && t.running("cli").size() == cluster.nodes().size());
      return t;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private CommandResult cli(String... args) {
    CommandResult r = cluster.corral("m1", args);
    if (!r.ok()) {
      throw new TargetFailure(
          "corral " + String.join(" ", args) + " failed: " + r.stderr().strip());
    }
    return r;
  }

  private <T> T control(Function<ControlGrpc.ControlBlockingStub, T> call) {
    ManagedChannel ch = DaemonChannels.open(cluster.socket("m1").toString());
    try {
      return call.apply(ControlGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS));
    } finally {
      ch.shutdownNow();
    }
  }

  @Override
  public String name() {
    return "corral (process executor)";
  }

  @Override
  public String layout() {
    return "testcluster of 3 managers + 2 workers; servers on "
        + SERVER_NODE
        + ", requests from the client on "
        + TIMING_NODE
        + ", a client on every node";
  }

  private List<Task> tasks(String service) {
    return control(
        c -> {
          Optional<Service> s =
              c.listServices(ListServicesRequest.getDefaultInstance()).getServicesList().stream()
                  .filter(x -> x.getSpec().getAnnotations().getName().equals(service))
                  .findFirst();
          if (s.isEmpty()) {
            return List.of();
          }
          return c.listTasks(
                  ListTasksRequest.newBuilder()
                      .setFilters(
                          ListTasksRequest.Filters.newBuilder().addServiceIds(s.get().getId()))
                      .build())
              .getTasksList();
        });
  }

  private List<Task> runningTasks(String service) {
    return tasks(service).stream()
        .filter(
            t ->
                t.getDesiredState() == TaskState.RUNNING
                    && t.getStatus().getState() == TaskState.RUNNING)
        .filter(t -> address(t).isPresent())
        .toList();
  }

  private static Optional<String> address(Task t) {
    return t.getNetworksList().stream()
        .filter(a -> a.getNetwork().getSpec().getAnnotations().getName().equals(NETWORK))
        .filter(a -> a.getAddressesCount() > 0)
        .map(NetworkAttachment::getAddressesList)
        .map(a -> a.get(0).split("/")[0])
        .findFirst();
  }

  @Override
  public List<Client> clients() {
    Map<String, String> hostnames =
        control(
            c ->
                c.listNodes(ListNodesRequest.getDefaultInstance()).getNodesList().stream()
                    .collect(Collectors.toMap(Node::getId, n -> n.getDescription().getHostname())));
    List<Client> all = new ArrayList<>();
    for (Task t : runningTasks("cli")) {
      String node = hostnames.get(t.getNodeId());
      all.add(new Client(node, TaskExec.inProcessTask(cluster, node, t.getId(), probeJvm)));
    }
    all.sort(
        Comparator.comparing((Client c) -> !c.node().equals(TIMING_NODE))
            .thenComparing(Client::node));
    return all;
  }

  @Override
  public String resolver() {
    return "resolv.conf";
  }

  @Override
  public String vipService() {
    return "srv";
  }

  @Override
  public String rrService() {
    return "srv-rr";
  }

  @Override
  public List<RunningTask> running(String service) {
    return runningTasks(service).stream()
        .map(
            t ->
                new RunningTask(
                    address(t).orElseThrow(), ProtoTime.instant(t.getStatus().getTimestamp())))
        .toList();
  }

  @Override
  public Optional<String> vip(String service) {
    String networkId =
        control(
            c ->
                c.listNetworks(ListNetworksRequest.getDefaultInstance()).getNetworksList().stream()
                    .filter(n -> n.getSpec().getAnnotations().getName().equals(NETWORK))
                    .map(io.corral.api.Network::getId)
                    .findFirst()
                    .orElse(""));
    return control(
        c ->
            c.listServices(ListServicesRequest.getDefaultInstance()).getServicesList().stream()
                .filter(s -> s.getSpec().getAnnotations().getName().equals(service))
                .flatMap(s -> s.getEndpoint().getVirtualIpsList().stream())
                .filter(v -> v.getNetworkId().equals(networkId))
                .map(Endpoint.VirtualIP::getAddr)
                .map(a -> a.split("/")[0])
                .findFirst());
  }

  @Override
  public void scale(String service, int replicas) {
    cli("service", "scale", "-d", service + "=" + replicas);
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (RuntimeException e) {
      System.err.println(
          "corral-bench: taking the testcluster down failed: "
              + e.getMessage()
              + "; run bin/testcluster down --name net-bench");
    }
  }
}
