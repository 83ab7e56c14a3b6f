package io.corral.manager.store;

import static io.corral.manager.store.Fixtures.renamed;
import static io.corral.manager.store.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corral.api.Service;
import io.corral.api.StoreSnapshot;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.TlsMaterial;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Ratis members in this JVM, over gRPC with mutual TLS on loopback. */
class RaftStoreTest {

  @TempDir Path dir;
  private final TestPki pki = new TestPki("cluster-test");
  private final List<RaftStore> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(RaftStore::close);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private List<StorePeer> peers(int n) throws IOException {
    List<StorePeer> peers = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      peers.add(new StorePeer("m" + i, "127.0.0.1:" + freePort()));
    }
    return peers;
  }

  private RaftStore start(StorePeer self, List<StorePeer> members, RaftTuning tuning)
      throws IOException {
    TlsMaterial tls = pki.managerTls(self.id());
    RaftStore s =
        RaftStore.start(
            new RaftStoreConfig(
                pki.clusterId,
                self,
                members,
                dir.resolve(self.id()),
                tls.keyManager(),
                tls.trustManager(),
                tuning));
    open.add(s);
    return s;
  }

  private static void ready(RaftStore s) throws InterruptedException {
    assertThat(s.awaitReady(Duration.ofSeconds(20))).as("member %s ready", s.selfId()).isTrue();
  }

  @Test
  void aSingleMemberCommitsAndComesBackFromItsDataDir() throws Exception {
    List<StorePeer> peers = peers(1);
    RaftStore s = start(peers.get(0), peers, RaftTuning.defaults());
    ready(s);
    for (int i = 0; i < 20; i++) {
      String id = "s" + i;
      s.update(tx -> tx.create(service(id, "svc-" + id)));
    }
    Service read = s.view(tx -> tx.get(ObjectKind.SERVICE, "s3")).orElseThrow();
    s.update(tx -> tx.update(renamed(read, "renamed")));
    assertThatThrownBy(() -> s.update(tx -> tx.update(renamed(read, "stale"))))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.code()).isEqualTo(StoreException.Code.VERSION_CONFLICT));
    StoreSnapshot before = s.client().dump("m1");
    s.close();
    open.remove(s);

    RaftStore again = start(peers.get(0), peers, RaftTuning.defaults());
    ready(again);
    assertThat(again.client().dump("m1").toBuilder().clearAppliedIndex().build())
        .isEqualTo(before.toBuilder().clearAppliedIndex().build());
    assertThat(again.view(tx -> tx.byName(ObjectKind.SERVICE, "renamed")).isPresent()).isTrue();
  }

  @Test
  void snapshotsBoundTheLogAndRestoreTheState() throws Exception {
    List<StorePeer> peers = peers(1);
    RaftTuning tuning = RaftTuning.defaults().withSnapshotThreshold(50);
    RaftStore s = start(peers.get(0), peers, tuning);
    ready(s);
    for (int i = 0; i < 300; i++) {
      String id = "s" + i;
      s.update(tx -> tx.create(service(id, id)));
    }
    long snapIndex = s.snapshot();
    assertThat(snapIndex).isGreaterThanOrEqualTo(300);
    Path sm = dir.resolve("m1").resolve("raft");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> snapshotFiles(sm).size() <= tuning.snapshotsRetained());
    s.close();
    open.remove(s);

    RaftStore again = start(peers.get(0), peers, tuning);
    ready(again);
    assertThat(again.view(tx -> tx.list(ObjectKind.SERVICE)).size()).isEqualTo(300);
    assertThat(again.view(tx -> tx.byName(ObjectKind.SERVICE, "s299")).isPresent()).isTrue();
  }

  private static List<Path> snapshotFiles(Path raftDir) throws IOException {
    try (Stream<Path> files = Files.walk(raftDir)) {
      return files.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).toList();
    }
  }

  @Test
  void followersForwardWritesAndSeeThemAtOnce() throws Exception {
    List<StorePeer> peers = peers(3);
    List<RaftStore> members = new ArrayList<>();
    for (StorePeer p : peers) {
      members.add(start(p, peers, RaftTuning.defaults()));
    }
    for (RaftStore m : members) {
      ready(m);
    }
    RaftStore follower = members.stream().filter(m -> !m.isLeader()).findFirst().orElseThrow();
    RaftStore other = members.stream().filter(m -> m != follower).findFirst().orElseThrow();
    Watch watch = other.watch(e -> e.is(ObjectKind.SERVICE));

    CommitResult r = follower.update(tx -> tx.create(service("s1", "web")));
    // Read-your-writes on the member that wrote, even though it does not lead.
    assertThat(follower.view(tx -> tx.get(ObjectKind.SERVICE, "s1")).isPresent()).isTrue();
    StoreEvent e = watch.poll(Duration.ofSeconds(10));
    assertThat(e).isNotNull();
    assertThat(e.index()).isEqualTo(r.index());
    for (RaftStore m : members) {
      await().atMost(Duration.ofSeconds(10)).until(() -> m.appliedIndex() >= r.index());
      assertThat(m.members()).extracting(StorePeer::id).containsExactlyInAnyOrder("m1", "m2", "m3");
    }
  }

  @Test
  void aWorkerCertificateCannotTalkToTheRaftGroup() throws Exception {
    List<StorePeer> peers = peers(1);
    RaftStore s = start(peers.get(0), peers, RaftTuning.defaults());
    ready(s);
    long indexBefore = s.appliedIndex();
    TlsMaterial worker = pki.tls(pki.identity("w1", NodeRole.WORKER));
    RaftTuning quick = RaftTuning.defaults().withWriteTimeout(Duration.ofSeconds(2));
    try (RaftStoreClient client =
        RaftStoreClient.connect(
            pki.clusterId, peers, worker.keyManager(), worker.trustManager(), quick)) {
      assertThatThrownBy(() -> client.commit(io.corral.api.StoreBatch.getDefaultInstance()))
          .isInstanceOf(StoreException.class);
    }
    // A manager certificate of another cluster is refused as well.
    TestPki otherCluster = new TestPki("other-cluster");
    TlsMaterial foreign = otherCluster.managerTls("m9");
    try (RaftStoreClient client =
        RaftStoreClient.connect(
            pki.clusterId, peers, foreign.keyManager(), foreign.trustManager(), quick)) {
      assertThatThrownBy(() -> client.commit(io.corral.api.StoreBatch.getDefaultInstance()))
          .isInstanceOf(StoreException.class);
    }
    // Had either handshake succeeded, its (empty) batch would have taken a log index.
    assertThat(s.client().status("m1").getAppliedIndex()).isEqualTo(indexBefore);
  }
}
