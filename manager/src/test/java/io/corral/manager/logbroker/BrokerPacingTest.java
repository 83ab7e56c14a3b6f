package io.corral.manager.logbroker;

import static org.awaitility.Awaitility.await;

import io.corral.api.LogMessage;
import io.corral.api.LogSelector;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.TaskState;
import io.corral.manager.store.InMemoryStore;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The broker reads a node's next message only when the subscriber can take more. */
class BrokerPacingTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A subscriber that takes more only when the test says so. */
  private static final class PacedSink implements LogSink {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    @Override
    public void send(List<LogMessage> messages) {
      messages.forEach(m -> lines.add(m.getData().toStringUtf8().strip()));
    }

    @Override
    public void end(List<NodeProblem> problems) {}

    @Override
    public void fail(Status status) {}

    @Override
    public void whenReady(Runnable next) {
      waiting.add(next);
    }

    void takeOneMore() {
      waiting.remove().run();
    }
  }

  private final InMemoryStore store = LogCluster.newStore();
  private LogCluster leader;
  private FakeAgent agent;

  @AfterEach
  void tearDown() {
    agent.close();
    leader.close();
    store.close();
  }

  @Test
  void aSlowSubscriberHoldsTheNodesNextMessageBack() {
    LogCluster.addNode(store, "n1");
    LogCluster.addService(store, "svc");
    LogCluster.addTask(store, "t1", "svc", "n1", TaskState.RUNNING);
    leader = new LogCluster(store, "m1", true, Duration.ofMinutes(5));
    agent = new FakeAgent(leader.channel(), "n1", List.of("one")).holdOpen().start();
    await().atMost(TIMEOUT).until(() -> leader.broker.connected("n1"));
    PacedSink sink = new PacedSink();
    Subscription s =
        new Subscription(
            "sub",
            LogSelector.newBuilder().addServiceIds("svc").build(),
            LogSubscriptionOptions.newBuilder().setFollow(true).build(),
            sink);
    s.addNode("n1");

    leader.broker.subscribe(s);
    await().atMost(TIMEOUT).until(() -> sink.lines.equals(List.of("one")));
    agent.publish("sub", "two");
    agent.publish("sub", "three");

    // Nothing more is read while the subscriber does not ask (this can only miss a bug, never fail
    // wrongly).
    await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> sink.lines.size() == 1);
    sink.takeOneMore();
    await().atMost(TIMEOUT).until(() -> sink.lines.equals(List.of("one", "two")));
    await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> sink.lines.size() == 2);
    sink.takeOneMore();
    await().atMost(TIMEOUT).until(() -> sink.lines.equals(List.of("one", "two", "three")));
  }
}
