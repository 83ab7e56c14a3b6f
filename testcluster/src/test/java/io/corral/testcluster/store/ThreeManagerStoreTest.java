package io.corral.testcluster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.corral.manager.store.RaftStoreClient;
import io.corral.manager.store.RaftTuning;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.StorePeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three store members as separate JVM processes (real Ratis, gRPC with mutual TLS, data on disk).
 * The tests share one cluster and run in order, each leaving every member running and caught up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeManagerStoreTest {

  private static final Duration READY = Duration.ofSeconds(60);

  private StoreCluster cluster;
  private final Writer writer = new Writer();

  @BeforeAll
  void start(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
    // A low snapshot threshold makes restarts go through snapshot + log, not only log replay.
    cluster = StoreCluster.create(dir, 3, 300);
    cluster.startAll();
    for (String id : cluster.ids()) {
      cluster.awaitReady(id, READY);
    }
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  private void writeMany(String prefix, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Long>> acks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = prefix + "-" + i;
      acks.add(pool.submit(() -> writer.write(cluster.client(), id)));
    }
    for (Future<Long> ack : acks) {
      ack.get();
    }
    pool.shutdown();
  }

  /** Every running member holds exactly the acknowledged writes. */
  private void assertReplicasHoldExactlyTheAcknowledgedWrites() {
    for (String id : cluster.ids()) {
      if (cluster.isRunning(id)) {
        // A member just restarted may refuse reads for a moment while its gRPC server comes up.
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StoreException.class)
            .untilAsserted(
                () ->
                    assertThat(Writer.configIds(cluster.client().dump(id)))
                        .as("objects on %s", id)
                        .isEqualTo(writer.acknowledged()));
      }
    }
  }

  @Test
  @Order(1)
  void aThousandWritesReachEveryReplica() throws Exception {
    writeMany("a", 1000);
    assertThat(writer.acknowledged()).hasSize(1000);
    assertReplicasHoldExactlyTheAcknowledgedWrites();
  }

  @Test
  @Order(2)
  void killingTheLeaderElectsAnotherAndTheKilledMemberCatchesUp() throws Exception {
    String leader = await().atMost(READY).until(cluster::leader, l -> l.isPresent()).orElseThrow();
    cluster.kill(leader);

    // Writes resume on a new leader, and the client finds it by itself.
    writeMany("b", 200);
    String newLeader =
        await()
            .atMost(READY)
            .until(cluster::leader, l -> l.isPresent() && !l.get().equals(leader))
            .orElseThrow();
    assertThat(newLeader).isNotEqualTo(leader);

    cluster.start(leader);
    cluster.awaitReady(leader, READY);
    assertReplicasHoldExactlyTheAcknowledgedWrites();
  }

  @Test
  @Order(3)
  void allMembersKilledAndRestartedKeepEveryAcknowledgedWriteAndNothingElse() throws Exception {
    writeMany("c", 300);
    for (String id : cluster.ids()) {
      cluster.kill(id);
    }
    for (String id : cluster.ids()) {
      cluster.start(id);
    }
    for (String id : cluster.ids()) {
      cluster.awaitReady(id, READY);
    }
    assertReplicasHoldExactlyTheAcknowledgedWrites();
    writeMany("d", 10);
    assertReplicasHoldExactlyTheAcknowledgedWrites();
  }

  @Test
  @Order(4)
  void withTwoOfThreeDownAWriteFailsFastWithTheQuorumError() throws Exception {
    List<String> ids = cluster.ids();
    cluster.kill(ids.get(0));
    cluster.kill(ids.get(1));
    try (RaftStoreClient client = cluster.newClient(RaftTuning.defaults())) {
      // Never hangs: the write gives up within its write timeout plus a reachability probe.
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () ->
              assertThatThrownBy(() -> client.commit(Writer.create("lost")))
                  .isInstanceOfSatisfying(
                      StoreException.class,
                      e -> {
                        assertThat(e.code()).isEqualTo(StoreException.Code.NO_QUORUM);
                        assertThat(e.getMessage())
                            .startsWith("no quorum: 1 of 3 managers reachable");
                      }));
    }
    cluster.start(ids.get(0));
    cluster.start(ids.get(1));
    cluster.awaitReady(ids.get(0), READY);
    cluster.awaitReady(ids.get(1), READY);
    writeMany("e", 10);
    // The refused write was never acknowledged; Raft may still commit it once quorum is back.
    for (String id : ids) {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptionsInstanceOf(StoreException.class)
          .untilAsserted(
              () -> {
                var held = Writer.configIds(cluster.client().dump(id));
                held.remove("lost");
                assertThat(held).isEqualTo(writer.acknowledged());
              });
    }
  }

  @Test
  @Order(5)
  void aManagerAddedToTheGroupCatchesUpAndCanBeRemoved() throws Exception {
    String added = cluster.addMember();
    cluster.awaitReady(added, READY);
    assertThat(cluster.client().members()).extracting(StorePeer::id).contains(added).hasSize(4);
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsInstanceOf(StoreException.class)
        .untilAsserted(
            () ->
                assertThat(Writer.configIds(cluster.client().dump(added)))
                    .containsAll(writer.acknowledged()));

    cluster.removeMember(added);
    assertThat(cluster.client().members())
        .extracting(StorePeer::id)
        .doesNotContain(added)
        .hasSize(3);
    writeMany("f", 10);
  }
}
