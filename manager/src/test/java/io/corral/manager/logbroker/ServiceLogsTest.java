package io.corral.manager.logbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.LogSelector;
import io.corral.api.TaskState;
import io.corral.manager.store.InMemoryStore;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceLogsTest {

  private static final Duration LONG_GRACE = Duration.ofMinutes(5);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final InMemoryStore store = LogCluster.newStore();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    store.close();
  }

  private LogCluster manager(String id, boolean leading, Duration grace) {
    LogCluster m = new LogCluster(store, id, leading, grace);
    closing.add(m);
    return m;
  }

  private FakeAgent agent(LogCluster manager, String nodeId, String... lines) {
    FakeAgent a = new FakeAgent(manager.channel(), nodeId, List.of(lines)).start();
    closing.add(a);
    await().atMost(TIMEOUT).until(() -> manager.broker.connected(nodeId));
    return a;
  }

  private static LogSelector service(String id) {
    return LogSelector.newBuilder().addServiceIds(id).build();
  }

  private static Status ended(LogReader r) throws Exception {
    return r.ended.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Two services' worth of tasks on three nodes; svc-a runs on n1 and n2, svc-b on n3. */
  private void twoServices() {
    for (String n : List.of("n1", "n2", "n3")) {
      LogCluster.addNode(store, n);
    }
    LogCluster.addService(store, "svc-a");
    LogCluster.addService(store, "svc-b");
    LogCluster.addTask(store, "t1", "svc-a", "n1", TaskState.RUNNING);
    LogCluster.addTask(store, "t2", "svc-a", "n2", TaskState.FAILED);
    LogCluster.addTask(store, "t3", "svc-b", "n3", TaskState.RUNNING);
  }

  @Test
  void nonFollowReadsPastLinesFromEveryConcernedNodeAndEnds() throws Exception {
    twoServices();
    LogCluster leader = manager("m1", true, LONG_GRACE);
    FakeAgent n1 = agent(leader, "n1", "one", "two");
    FakeAgent n2 = agent(leader, "n2", "three");
    FakeAgent n3 = agent(leader, "n3", "not wanted");

    LogReader r = LogReader.read(leader.channel(), service("svc-a"), false);

    assertThat(ended(r)).isEqualTo(Status.OK);
    assertThat(r.lines()).containsExactlyInAnyOrder("n1: one", "n1: two", "n2: three");
    assertThat(r.lines()).containsSubsequence("n1: one", "n1: two");
    assertThat(n1.opened()).hasSize(1);
    assertThat(n2.opened()).hasSize(1);
    assertThat(n3.received).isEmpty();
    assertThat(n1.opened().get(0).getSelector().getServiceIdsList()).containsExactly("svc-a");
  }

  @Test
  void tasksThatNeverRanAreNotAskedForWithoutFollow() throws Exception {
    twoServices();
    LogCluster.addTask(store, "t4", "svc-b", "n2", TaskState.ASSIGNED);
    LogCluster leader = manager("m1", true, LONG_GRACE);
    FakeAgent n2 = agent(leader, "n2", "nothing yet");
    agent(leader, "n3", "b line");

    LogReader r = LogReader.read(leader.channel(), service("svc-b"), false);

    assertThat(ended(r)).isEqualTo(Status.OK);
    assertThat(r.lines()).containsExactly("n3: b line");
    assertThat(n2.received).isEmpty();
  }

  @Test
  void nodeAndTaskSelectorsReachTheirNodes() throws Exception {
    twoServices();
    LogCluster leader = manager("m1", true, LONG_GRACE);
    agent(leader, "n2", "from n2");
    agent(leader, "n3", "from n3");

    LogReader r =
        LogReader.read(
            leader.channel(),
            LogSelector.newBuilder().addNodeIds("n2").addTaskIds("t3").build(),
            false);

    assertThat(ended(r)).isEqualTo(Status.OK);
    assertThat(r.lines()).containsExactlyInAnyOrder("n2: from n2", "n3: from n3");
  }

  @Test
  void aSelectorWithNothingRunningEndsAtOnce() throws Exception {
    LogCluster.addService(store, "empty");
    LogCluster leader = manager("m1", true, LONG_GRACE);

    LogReader r = LogReader.read(leader.channel(), service("empty"), false);

    assertThat(ended(r)).isEqualTo(Status.OK);
    assertThat(r.messages).isEmpty();
  }

  @Test
  void badSelectorsAreRefusedWithTheReason() throws Exception {
    LogCluster leader = manager("m1", true, LONG_GRACE);

    Status empty = ended(LogReader.read(leader.channel(), LogSelector.getDefaultInstance(), false));
    Status unknown = ended(LogReader.read(leader.channel(), service("nope"), false));

    assertThat(empty.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(empty.getDescription()).contains("at least one service, node or task");
    assertThat(unknown.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unknown.getDescription()).isEqualTo("no such service: nope");
  }

  @Test
  void aNodeThatIsNotConnectedIsGivenUpAfterTheGraceAndNamedInTheWarning() throws Exception {
    twoServices();
    LogCluster leader = manager("m1", true, Duration.ofMillis(300));
    agent(leader, "n1", "still here");

    LogReader r = LogReader.read(leader.channel(), service("svc-a"), false);

    Status status = ended(r);
    assertThat(r.lines()).containsExactly("n1: still here");
    assertThat(status.getCode()).isEqualTo(ServiceLogs.INCOMPLETE);
    assertThat(status.getDescription())
        .startsWith("warning: incomplete log stream")
        .contains("node host-n2 (n2): node is not connected");
  }

  @Test
  void aNodeThatConnectsWithinTheGraceStillDeliversItsLines() throws Exception {
    twoServices();
    LogCluster leader = manager("m1", true, LONG_GRACE);
    FakeAgent n1 = agent(leader, "n1", "early");

    LogReader r = LogReader.read(leader.channel(), service("svc-a"), false);
    await().atMost(TIMEOUT).until(() -> !n1.opened().isEmpty());
    assertThat(r.ended).isNotDone();
    FakeAgent n2 = agent(leader, "n2", "late");

    assertThat(ended(r)).isEqualTo(Status.OK);
    assertThat(r.lines()).containsExactlyInAnyOrder("n1: early", "n2: late");
    assertThat(n2.opened()).hasSize(1);
  }

  @Test
  void aNodeWhosePublishStreamBreaksIsReportedNotWaitedFor() throws Exception {
    twoServices();
    LogCluster leader = manager("m1", true, LONG_GRACE);
    agent(leader, "n1", "fine");
    // n2 publishes a line and then loses its connection (session lost) before it sends close.
    ManagedChannel n2Channel = NettyChannelBuilder.forTarget(leader.addr).usePlaintext().build();
    closing.add(n2Channel::shutdownNow);
    FakeAgent n2 = new FakeAgent(n2Channel, "n2", List.of("half")).holdOpen().start();
    await().atMost(TIMEOUT).until(() -> leader.broker.connected("n2"));

    LogReader r = LogReader.read(leader.channel(), service("svc-a"), false);
    await().atMost(TIMEOUT).until(() -> r.lines().contains("n2: half"));
    n2Channel.shutdownNow();

    Status status = ended(r);
    assertThat(r.lines()).containsExactlyInAnyOrder("n1: fine", "n2: half");
    assertThat(status.getCode()).isEqualTo(ServiceLogs.INCOMPLETE);
    assertThat(status.getDescription()).contains("host-n2 (n2): its log stream broke");
  }

  @Test
  void followGoesOnUntilTheCallerCancelsAndThenTellsTheNodesToStop() throws Exception {
    twoServices();
    LogCluster leader = manager("m1", true, LONG_GRACE);
    FakeAgent n1 = agent(leader, "n1", "past");

    LogReader r = LogReader.read(leader.channel(), service("svc-a"), true);
    await().atMost(TIMEOUT).until(() -> r.lines().contains("n1: past"));
    String id = n1.opened().get(0).getId();
    n1.publish(id, "new line");
    await().atMost(TIMEOUT).until(() -> r.lines().contains("n1: new line"));
    // n2 is not connected: following does not give up on it, it still waits.
    assertThat(r.ended).isNotDone();

    r.cancel();

    await().atMost(TIMEOUT).until(() -> n1.closed().contains(id));
    assertThat(ended(r).getCode()).isEqualTo(Status.Code.CANCELLED);
  }

  @Test
  void followTakesInNodesWhereSelectedTasksAppear() throws Exception {
    twoServices();
    LogCluster leader = manager("m1", true, LONG_GRACE);
    agent(leader, "n1", "n1 line");
    FakeAgent n3 = agent(leader, "n3", "n3 line");

    LogReader r = LogReader.read(leader.channel(), service("svc-a"), true);
    await().atMost(TIMEOUT).until(() -> r.lines().contains("n1: n1 line"));
    assertThat(n3.received).isEmpty();
    LogCluster.addTask(store, "t9", "svc-a", "n3", TaskState.ASSIGNED);

    await().atMost(TIMEOUT).until(() -> r.lines().contains("n3: n3 line"));
    r.cancel();
    await().atMost(TIMEOUT).until(() -> n3.closed().size() == 1);
  }

  @Test
  void linesAreStampedWithTheNodeThatSentThemAndOtherNodesCannotPublish() throws Exception {
    twoServices();
    LogCluster leader = manager("m1", true, LONG_GRACE);
    FakeAgent n1 = agent(leader, "n1", "mine");
    FakeAgent n3 = agent(leader, "n3");

    LogReader r = LogReader.read(leader.channel(), service("svc-a"), true);
    await().atMost(TIMEOUT).until(() -> r.lines().contains("n1: mine"));
    String id = n1.opened().get(0).getId();
    // n3 is not part of svc-a's subscription and claims to be n1.
    n3.publishAs(id, "n1", "forged");
    n1.publish(id, "after");

    await().atMost(TIMEOUT).until(() -> r.lines().contains("n1: after"));
    assertThat(r.lines()).doesNotContain("n1: forged", "n3: forged");
    assertThat(r.messages).allSatisfy(m -> assertThat(m.getContext().getNodeId()).isEqualTo("n1"));
    r.cancel();
  }

  @Test
  void losingLeadershipEndsSubscriptionsAndNodeStreams() throws Exception {
    twoServices();
    LogCluster leader = manager("m1", true, LONG_GRACE);
    FakeAgent n1 = agent(leader, "n1", "line");
    LogReader r = LogReader.read(leader.channel(), service("svc-a"), true);
    await().atMost(TIMEOUT).until(() -> r.lines().contains("n1: line"));

    leader.leading.set(false);

    Status status = ended(r);
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).contains("run the command again");
    await().atMost(TIMEOUT).until(() -> n1.listenEnded != null);
    assertThat(n1.listenEnded.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void aManagerThatDoesNotLeadRefusesNodeStreams() throws Exception {
    LogCluster follower = manager("m2", false, LONG_GRACE);
    FakeAgent n1 = new FakeAgent(follower.channel(), "n1", List.of()).start();
    closing.add(n1);

    await().atMost(TIMEOUT).until(() -> n1.listenEnded != null);
    assertThat(n1.listenEnded.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(n1.listenEnded.getDescription()).contains("not the leader");
  }

  @Test
  void aFollowerRelaysServiceLogsToTheLeader() throws Exception {
    twoServices();
    LogCluster leader = manager("m1", true, LONG_GRACE);
    LogCluster follower = manager("m2", false, LONG_GRACE);
    follower.leaderId.set("m1");
    agent(leader, "n1", "via leader 1");
    agent(leader, "n2", "via leader 2");

    LogReader r = LogReader.read(follower.channel(), service("svc-a"), false);

    assertThat(ended(r)).isEqualTo(Status.OK);
    assertThat(r.lines()).containsExactlyInAnyOrder("n1: via leader 1", "n2: via leader 2");
  }

  @Test
  void cancellingARelayedFollowReachesTheNodes() throws Exception {
    twoServices();
    LogCluster leader = manager("m1", true, LONG_GRACE);
    LogCluster follower = manager("m2", false, LONG_GRACE);
    follower.leaderId.set("m1");
    FakeAgent n1 = agent(leader, "n1", "followed");

    LogReader r = LogReader.read(follower.channel(), service("svc-a"), true);
    await().atMost(TIMEOUT).until(() -> r.lines().contains("n1: followed"));
    r.cancel();

    await().atMost(TIMEOUT).until(() -> n1.closed().size() == 1);
  }

  @Test
  void aForwardedCallIsNotForwardedAgain() throws Exception {
    LogCluster.addService(store, "svc");
    LogCluster m1 = manager("m1", false, LONG_GRACE);
    LogCluster m2 = manager("m2", false, LONG_GRACE);
    // Mid-election each believes the other leads.
    m1.leaderId.set("m2");
    m2.leaderId.set("m1");

    Status status = ended(LogReader.read(m1.channel(), service("svc"), false));

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).contains("leadership is changing");
  }

  @Test
  void withoutAKnownLeaderAFollowerSaysSo() throws Exception {
    LogCluster.addService(store, "svc");
    LogCluster follower = manager("m2", false, LONG_GRACE);

    Status status = ended(LogReader.read(follower.channel(), service("svc"), false));

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).contains("no leader is known");
  }
}
