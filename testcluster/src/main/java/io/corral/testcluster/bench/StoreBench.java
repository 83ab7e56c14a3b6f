package io.corral.testcluster.bench;

import io.corral.api.Annotations;
import io.corral.api.Config;
import io.corral.api.ConfigSpec;
import io.corral.api.StoreAction;
import io.corral.api.StoreBatch;
import io.corral.manager.store.RaftStoreClient;
import io.corral.manager.store.RaftTuning;
import io.corral.manager.store.StoreException;
import io.corral.testcluster.store.StoreCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code corral-bench store}: a 3-manager store on loopback, each manager its own JVM with mutual
 * TLS. Prints commit latency, throughput, leader failover time and restart-to-ready time.
 */
@Command(name = "store", description = "Benchmark the Raft store with 3 managers on loopback.")
final class StoreBench implements Callable<Integer> {

  @Option(names = "--managers", defaultValue = "3")
  int managers;

  @Option(
      names = "--writes",
      defaultValue = "2000",
      description = "single writes for the latency figure")
  int writes;

  @Option(names = "--failovers", defaultValue = "5")
  int failovers;

  private final AtomicLong ids = new AtomicLong();

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("corral-bench-store");
    System.out.printf(
        "corral-bench store: %d managers on loopback, separate JVMs, gRPC + mTLS, data in %s%n",
        managers, dir);
    System.out.printf(
        "machine: %d cores, Java %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    try (StoreCluster cluster = StoreCluster.create(dir, managers)) {
      long t0 = System.nanoTime();
      cluster.startAll();
      for (String id : cluster.ids()) {
        cluster.awaitReady(id, Duration.ofMinutes(2));
      }
      System.out.printf(
          "cluster start (all JVMs launched -> all ready): %s%n",
          Stats.ms((System.nanoTime() - t0) / 1e6));
      RaftStoreClient client = cluster.client();

      for (int i = 0; i < 500; i++) {
        client.commit(batch(1)); // warm-up: JIT, connections
      }
      latency(client);
      batchedThroughput(client);
      concurrentThroughput(client);
      failover(cluster);
      restart(cluster);
    }
    return 0;
  }

  private StoreBatch batch(int objects) {
    StoreBatch.Builder b = StoreBatch.newBuilder();
    for (int i = 0; i < objects; i++) {
      String id = "bench-" + ids.incrementAndGet();
      b.addActions(
          StoreAction.newBuilder()
              .setKind(StoreAction.Kind.CREATE)
              .setConfig(
                  Config.newBuilder()
                      .setId(id)
                      .setSpec(
                          ConfigSpec.newBuilder()
                              .setAnnotations(Annotations.newBuilder().setName(id)))));
    }
    return b.build();
  }

  private void latency(RaftStoreClient client) {
    Stats s = new Stats();
    for (int i = 0; i < writes; i++) {
      long t = System.nanoTime();
      client.commit(batch(1));
      s.add(System.nanoTime() - t);
    }
    System.out.printf(
        "single-write commit latency (%d sequential writes): p50 %s, p99 %s, max %s%n",
        s.count(),
        Stats.ms(s.percentileMillis(50)),
        Stats.ms(s.percentileMillis(99)),
        Stats.ms(s.maxMillis()));
  }

  private void batchedThroughput(RaftStoreClient client) {
    int batches = 200;
    int perBatch = 100;
    long t = System.nanoTime();
    for (int i = 0; i < batches; i++) {
      client.commit(batch(perBatch));
    }
    double secs = (System.nanoTime() - t) / 1e9;
    System.out.printf(
        "batched writes (%d batches of %d objects, sequential): %.0f objects/s, %.0f batches/s%n",
        batches, perBatch, batches * perBatch / secs, batches / secs);
  }

  private void concurrentThroughput(RaftStoreClient client) throws Exception {
    int threads = 16;
    int each = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int th = 0; th < threads; th++) {
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < each; i++) {
                  client.commit(batch(1));
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    double secs = (System.nanoTime() - t) / 1e9;
    System.out.printf(
        "concurrent single writes (%d writers x %d): %.0f writes/s%n",
        threads, each, threads * each / secs);
  }

  /** kill -9 the leader, then time until the first write is acknowledged again. */
  private void failover(StoreCluster cluster) throws Exception {
    Stats s = new Stats();
    try (RaftStoreClient client = cluster.newClient(RaftTuning.defaults())) {
      client.commit(batch(1));
      for (int round = 0; round < failovers; round++) {
        String leader = awaitLeader(cluster);
        long t = System.nanoTime();
        cluster.kill(leader);
        while (true) {
          try {
            client.commit(batch(1));
            break;
          } catch (StoreException e) {
            // not yet: keep trying until a new leader acknowledges
          }
        }
        long elapsed = System.nanoTime() - t;
        s.add(elapsed);
        System.out.printf(
            "  failover %d: leader %s killed -> first acknowledged write %s%n",
            round + 1, leader, Stats.ms(elapsed / 1e6));
        cluster.start(leader);
        cluster.awaitReady(leader, Duration.ofMinutes(2));
      }
    }
    System.out.printf(
        "leader failover (kill -9 -> first acknowledged write, %d rounds): p50 %s, max %s%n",
        s.count(), Stats.ms(s.percentileMillis(50)), Stats.ms(s.maxMillis()));
  }

  private static String awaitLeader(StoreCluster cluster) throws InterruptedException {
    while (true) {
      var leader = cluster.leader();
      if (leader.isPresent()) {
        return leader.get();
      }
      Thread.sleep(20);
    }
  }

  /** Restart-to-ready of one follower, then of all managers at once. */
  private void restart(StoreCluster cluster) throws Exception {
    String leader = awaitLeader(cluster);
    String follower =
        cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    Stats one = new Stats();
    for (int round = 0; round < 3; round++) {
      cluster.kill(follower);
      long t = System.nanoTime();
      cluster.start(follower);
      Duration sinceJvmStart = cluster.awaitReady(follower, Duration.ofMinutes(2));
      one.add(System.nanoTime() - t);
      System.out.printf(
          "  restart %d of follower %s: ready %s after launch (%s after its JVM started)%n",
          round + 1,
          follower,
          Stats.ms((System.nanoTime() - t) / 1e6),
          Stats.ms(sinceJvmStart.toMillis()));
    }
    System.out.printf(
        "manager restart-to-ready (follower, process launch -> caught up): p50 %s, max %s%n",
        Stats.ms(one.percentileMillis(50)), Stats.ms(one.maxMillis()));

    for (String id : cluster.ids()) {
      cluster.kill(id);
    }
    long t = System.nanoTime();
    for (String id : cluster.ids()) {
      cluster.start(id);
    }
    for (String id : cluster.ids()) {
      cluster.awaitReady(id, Duration.ofMinutes(2));
    }
    System.out.printf(
        "whole-cluster restart (all killed, relaunched -> all ready): %s%n",
        Stats.ms((System.nanoTime() - t) / 1e6));
  }
}
