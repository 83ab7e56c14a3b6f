package io.corral.testcluster.bench;

import io.corral.api.ControlGrpc;
import io.corral.api.InfoRequest;
import io.corral.api.InfoResponse;
import io.corral.api.ListNodesRequest;
import io.corral.api.LocalSwarmGrpc;
import io.corral.api.Node;
import io.corral.api.NodeStatus;
import io.corral.api.RaftMemberStatus;
import io.corral.cli.DaemonChannels;
import io.corral.testcluster.cluster.TestCluster;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral-bench cluster}: a testcluster of real daemons, each in its own network namespace.
 * Prints the time to form it, leader failover (kill -9 of the leader's daemon until a survivor's
 * {@code node ls} shows a new leader) and daemon start-to-ready for a manager and a worker. Needs
 * root.
 */
@Command(
    name = "cluster",
    description = "Benchmark cluster formation, failover and daemon restart (needs root).")
final class ClusterBench implements Callable<Integer> {

  private static final Duration LIMIT = Duration.ofMinutes(2);

  @Option(names = "--managers", defaultValue = "3")
  int managers;

  @Option(names = "--workers", defaultValue = "2")
  int workers;

  @Option(names = "--rounds", defaultValue = "5")
  int rounds;

  private TestCluster cluster;

  @Override
  public Integer call() throws Exception {
    System.out.printf(
        "corral-bench cluster: %d managers + %d workers, one network namespace each; %d cores, "
            + "Java %s%n",
        managers,
        workers,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    long t0 = System.nanoTime();
    try (TestCluster c =
        TestCluster.builder().name("bench").managers(managers).workers(workers).build().up()) {
      cluster = c;
      awaitSettled();
      System.out.printf(
          "form the cluster (namespaces, daemons, init, %d joins, all Ready): %s%n",
          managers + workers - 1, Stats.ms((System.nanoTime() - t0) / 1e6));
      failover();
      restart("manager", cluster.managers().get(cluster.managers().size() - 1));
      if (!cluster.workers().isEmpty()) {
        restart("worker", cluster.workers().get(0));
      }
    }
    return 0;
  }

  private void failover() {
    Stats newLeader = new Stats();
    for (int i = 0; i < rounds; i++) {
      String leader = leaderHost(cluster.managers().get(0)).orElseThrow();
      List<String> survivors = cluster.managers().stream().filter(m -> !m.equals(leader)).toList();
      long t0 = System.nanoTime();
      cluster.kill(leader);
      waitFor(
          () ->
              survivors.stream()
                  .anyMatch(s -> leaderHost(s).filter(l -> !l.equals(leader)).isPresent()));
      newLeader.add(System.nanoTime() - t0);
      cluster.restart(leader);
      awaitSettled();
    }
    print("leader failover (kill -9 -> a survivor's node ls shows a new leader)", newLeader);
  }

  /**
   * Start-to-ready of one node's daemon: launched until it is Ready (and a reachable manager) in
   * node ls.
   */
  private void restart(String role, String node) {
    Stats ready = new Stats();
    String asker =
        cluster.managers().get(0).equals(node)
            ? cluster.managers().get(1)
            : cluster.managers().get(0);
    for (int i = 0; i < rounds; i++) {
      cluster.kill(node);
      waitFor(() -> !isReady(asker, node));
      long t0 = System.nanoTime();
      cluster.restart(node);
      waitFor(() -> isReady(asker, node) && sessionActive(node));
      ready.add(System.nanoTime() - t0);
    }
    print(role + " daemon start-to-ready (launch -> Ready in node ls, session active)", ready);
  }

  private static void print(String what, Stats s) {
    System.out.printf(
        "%s: p50 %s, min %s, max %s over %d rounds%n",
        what,
        Stats.ms(s.percentileMillis(50)),
        Stats.ms(s.minMillis()),
        Stats.ms(s.maxMillis()),
        s.count());
  }

  private void awaitSettled() {
    waitFor(
        () -> {
          List<Node> nodes = nodes(cluster.managers().get(0));
          return nodes.size() == managers + workers
              && nodes.stream().allMatch(n -> n.getStatus().getState() == NodeStatus.State.READY)
              && nodes.stream()
                  .anyMatch(n -> n.hasManagerStatus() && n.getManagerStatus().getLeader())
              && nodes.stream()
                  .filter(n -> n.hasManagerStatus())
                  .allMatch(
                      n ->
                          n.getManagerStatus().getReachability()
                              == RaftMemberStatus.Reachability.REACHABLE);
        });
  }

  private boolean isReady(String asker, String node) {
    return nodes(asker).stream()
        .anyMatch(
            n ->
                n.getDescription().getHostname().equals(node)
                    && n.getStatus().getState() == NodeStatus.State.READY
                    && (!n.hasManagerStatus()
                        || n.getManagerStatus().getReachability()
                            == RaftMemberStatus.Reachability.REACHABLE));
  }

  private Optional<String> leaderHost(String asker) {
    return nodes(asker).stream()
        .filter(n -> n.hasManagerStatus() && n.getManagerStatus().getLeader())
        .map(n -> n.getDescription().getHostname())
        .findFirst();
  }

  private boolean sessionActive(String node) {
    ManagedChannel ch = DaemonChannels.open(cluster.socket(node).toString());
    try {
      return LocalSwarmGrpc.newBlockingStub(ch)
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .info(InfoRequest.getDefaultInstance())
              .getState()
          == InfoResponse.LocalState.ACTIVE;
    } catch (StatusRuntimeException e) {
      return false;
    } finally {
      ch.shutdownNow();
    }
  }

  /**
   * The nodes as the daemon of {@code asker} lists them through its local socket; empty when it
   * cannot.
   */
  private List<Node> nodes(String asker) {
    if (!cluster.isRunning(asker)) {
      return List.of();
    }
    ManagedChannel ch = DaemonChannels.open(cluster.socket(asker).toString());
    try {
      return ControlGrpc.newBlockingStub(ch)
          .withDeadlineAfter(2, TimeUnit.SECONDS)
          .listNodes(ListNodesRequest.getDefaultInstance())
          .getNodesList();
    } catch (StatusRuntimeException e) {
      return List.of();
    } finally {
      ch.shutdownNow();
    }
  }

  private static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("condition not reached within " + LIMIT.toSeconds() + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
