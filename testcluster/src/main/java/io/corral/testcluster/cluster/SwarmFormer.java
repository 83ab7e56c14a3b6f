package io.corral.testcluster.cluster;

import io.corral.testcluster.net.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Forms a swarm from started daemons: init on the first manager, then managers one by one, then
 * workers.
 */
final class SwarmFormer {

  private static final int LOG_TAIL = 40;

  private SwarmFormer() {}

  static void form(TestCluster cluster) {
    List<String> managers = cluster.managers();
    String first = managers.get(0);
    String remote = cluster.address(first) + ":" + Daemons.API_PORT;
    run(cluster, first, "swarm", "init", "--advertise-addr", cluster.address(first));
    String managerToken = token(cluster, first, Role.MANAGER);
    String workerToken = token(cluster, first, Role.WORKER);
    // One at a time: each new manager changes the Raft configuration, which must settle before the
    // next.
    for (String m : managers.subList(1, managers.size())) {
      run(cluster, m, "swarm", "join", "--token", managerToken, remote);
    }
    List<String> workers = cluster.workers();
    if (workers.isEmpty()) {
      return;
    }
    // Workers do not touch the Raft configuration, so they may join together.
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(4, workers.size()));
    try {
      List<Future<?>> joins = new ArrayList<>();
      for (String w : workers) {
        joins.add(
            pool.submit(() -> run(cluster, w, "swarm", "join", "--token", workerToken, remote)));
      }
      for (Future<?> f : joins) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while workers were joining", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String token(TestCluster cluster, String node, Role role) {
    String token = run(cluster, node, "swarm", "join-token", "-q", role.word()).stdout().strip();
    if (token.isEmpty() || token.contains("\n")) {
      throw new IllegalStateException(
          "`corral swarm join-token -q "
              + role.word()
              + "` on "
              + node
              + " printed '"
              + token
              + "', not a single token");
    }
    return token;
  }

  private static CommandResult run(TestCluster cluster, String node, String... args) {
    List<String> command = new ArrayList<>(List.of("corral"));
    command.addAll(List.of(args));
    CommandResult r = cluster.exec(node, TestCluster.COMMAND_TIMEOUT, command);
    if (!r.ok()) {
      throw new IllegalStateException(
          "forming the cluster failed on "
              + node
              + ": `corral "
              + String.join(" ", args)
              + "` exited "
              + r.exitCode()
              + "\nstderr: "
              + r.stderr().strip()
              + "\nstdout: "
              + r.stdout().strip()
              + "\nlast lines of "
              + cluster.logOf(node)
              + ":\n"
              + cluster.files(node).logTail(LOG_TAIL));
    }
    return r;
  }
}
