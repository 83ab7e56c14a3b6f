package io.corral.testcluster.store;

import io.corral.manager.store.RaftStore;
import io.corral.manager.store.RaftStoreConfig;
import io.corral.manager.store.RaftTuning;
import io.corral.manager.store.StorePeer;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerPolicy;
import io.corral.manager.tls.TlsMaterial;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One store member as its own process: a manager's Raft replica without the rest of the daemon, so
 * store behaviour (failover, restart, quorum) can be tested and measured with real processes.
 * Prints {@code READY <ms since JVM start>} once it knows a leader and has caught up.
 */
@Command(name = "store-node", mixinStandardHelpOptions = true)
public final class StoreNodeMain implements Callable<Integer> {

  static final String READY = "READY ";

  @Option(names = "--cluster-id", required = true)
  String clusterId;

  @Option(names = "--id", required = true)
  String id;

  @Option(
      names = "--members",
      required = true,
      split = ",",
      description = "id=host:port of every member, this one included")
  List<String> members;

  @Option(names = "--data-dir", required = true)
  Path dataDir;

  @Option(names = "--identity-dir", required = true, description = "node.key, node.crt, ca.crt")
  Path identityDir;

  @Option(names = "--snapshot-threshold", defaultValue = "10000")
  long snapshotThreshold;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StoreNodeMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<StorePeer> peers = new ArrayList<>();
    for (String m : members) {
      String[] kv = m.split("=", 2);
      peers.add(new StorePeer(kv[0], kv[1]));
    }
    StorePeer self =
        peers.stream()
            .filter(p -> p.id().equals(id))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("--members does not list --id " + id));
    NodeIdentity identity = NodeIdentity.load(identityDir);
    TlsMaterial tls =
        TlsMaterial.of(
            identity,
            PeerPolicy.requireRole(NodeRole.MANAGER).and(PeerPolicy.requireCluster(clusterId)));
    RaftStore store =
        RaftStore.start(
            new RaftStoreConfig(
                clusterId,
                self,
                peers,
                dataDir,
                tls.keyManager(),
                tls.trustManager(),
                RaftTuning.defaults().withSnapshotThreshold(snapshotThreshold)));
    System.err.println("store member started " + sinceJvmStart() + " ms after JVM start");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  store.close();
                  stopped.countDown();
                }));
    if (store.awaitReady(Duration.ofMinutes(5))) {
      System.out.println(READY + sinceJvmStart());
      System.out.flush();
    }
    stopped.await();
    return 0;
  }

  private static long sinceJvmStart() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }
}
