package io.corral.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.LogMessage;
import io.corral.api.LogSelector;
import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.PublishLogsMessage;
import io.corral.api.SubscriptionMessage;
import io.corral.api.Task;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's log publisher against a fake broker and a runtime that writes known lines. */
class LogPublisherTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The node's assigned tasks, changed by the test. */
  private static final class Assigned implements LocalTasks {
    final List<Task> tasks = new CopyOnWriteArrayList<>();
    final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Collection<Task> assigned() {
      return List.copyOf(tasks);
    }

    @Override
    public void onChange(Runnable listener) {
      listeners.add(listener);
    }

    void add(Task t) {
      tasks.add(t);
      listeners.forEach(Runnable::run);
    }
  }

  private final LineRuntime runtime = new LineRuntime();
  private final Assigned assigned = new Assigned();
  private FakeLogBroker broker;
  private ManagedChannel channel;
  private LogPublisher publisher;
  private Context.CancellableContext session;

  @BeforeEach
  void setUp() throws Exception {
    broker = new FakeLogBroker();
    channel = broker.channel();
    publisher = new LogPublisher(runtime, assigned);
    assigned.add(task("t1", "svc-a"));
    assigned.add(task("t2", "svc-b"));
    assigned.add(task("t3", "svc-a"));
    runtime.lines("t1", "t1 first", "t1 second");
    runtime.lines("t2", "t2 only");
    runtime.lines("t3", "t3 only");
    session = Context.current().withCancellation();
    publisher.sessionStarted(channel, "s1", session);
    await().atMost(TIMEOUT).until(() -> broker.listens.get() == 1);
  }

  @AfterEach
  void tearDown() {
    session.cancel(null);
    publisher.close();
    channel.shutdownNow();
    broker.close();
  }

  private static Task task(String id, String serviceId) {
    return Task.newBuilder().setId(id).setServiceId(serviceId).setNodeId("node-1").build();
  }

  private static SubscriptionMessage subscription(String id, LogSelector selector, boolean follow) {
    return SubscriptionMessage.newBuilder()
        .setId(id)
        .setSelector(selector)
        .setOptions(LogSubscriptionOptions.newBuilder().setFollow(follow))
        .build();
  }

  private static LogSelector service(String id) {
    return LogSelector.newBuilder().addServiceIds(id).build();
  }

  @Test
  void publishesTheSelectedTasksPastLinesThenCloses() {
    broker.send(subscription("sub1", service("svc-a"), false));

    await()
        .atMost(TIMEOUT)
        .until(() -> broker.closed("sub1") && broker.streamEnds.contains("completed"));
    assertThat(broker.lines("sub1"))
        .containsExactlyInAnyOrder("t1: t1 first", "t1: t1 second", "t3: t3 only");
    assertThat(broker.lines("sub1")).containsSubsequence("t1: t1 first", "t1: t1 second");
    LogMessage first = broker.logMessages("sub1").get(0);
    assertThat(first.getContext().getServiceId()).isEqualTo("svc-a");
    assertThat(first.getContext().getNodeId()).isEqualTo("node-1");
    assertThat(first.getStream()).isEqualTo(LogStream.LOG_STREAM_STDOUT);
    assertThat(first.getTimestamp().getSeconds()).isEqualTo(LineRuntime.TIME.getEpochSecond());
    assertThat(first.getTimestamp().getNanos()).isEqualTo(LineRuntime.TIME.getNano());
    List<PublishLogsMessage> messages = broker.messages("sub1");
    assertThat(messages.get(messages.size() - 1).getClose()).isTrue();
    assertThat(messages.subList(0, messages.size() - 1)).noneMatch(PublishLogsMessage::getClose);
    assertThat(publisher.activeSubscriptions()).isEmpty();
  }

  @Test
  void selectsByTaskAndByNodeToo() {
    broker.send(subscription("by-task", LogSelector.newBuilder().addTaskIds("t2").build(), false));
    broker.send(
        subscription("by-node", LogSelector.newBuilder().addNodeIds("node-1").build(), false));

    await().atMost(TIMEOUT).until(() -> broker.closed("by-task") && broker.closed("by-node"));
    assertThat(broker.lines("by-task")).containsExactly("t2: t2 only");
    assertThat(broker.lines("by-node")).hasSize(4);
  }

  @Test
  void withNoSelectedTaskHereItClosesAtOnce() {
    broker.send(subscription("none", service("svc-elsewhere"), false));

    await().atMost(TIMEOUT).until(() -> broker.closed("none"));
    assertThat(broker.lines("none")).isEmpty();
    assertThat(runtime.readsStarted).isEmpty();
  }

  @Test
  void aTaskTheRuntimeDoesNotKnowEndsWithoutHoldingTheOthers() {
    assigned.add(task("gone", "svc-a"));

    broker.send(subscription("sub", service("svc-a"), false));

    await().atMost(TIMEOUT).until(() -> broker.closed("sub"));
    assertThat(runtime.readsStarted).contains("gone");
    assertThat(broker.lines("sub")).hasSize(3);
  }

  @Test
  void largeOutputGoesInBoundedBatchesInOrder() {
    String[] many = IntStream.range(0, 1000).mapToObj(i -> "line " + i).toArray(String[]::new);
    runtime.lines("t2", many);

    broker.send(subscription("big", service("svc-b"), false));

    await().atMost(TIMEOUT).until(() -> broker.closed("big"));
    assertThat(broker.lines("big"))
        .containsExactly(
            IntStream.range(0, 1000).mapToObj(i -> "t2: line " + i).toArray(String[]::new));
    assertThat(broker.messages("big"))
        .allSatisfy(
            m -> assertThat(m.getMessagesCount()).isLessThanOrEqualTo(LogBatcher.MAX_LINES));
  }

  @Test
  void followPublishesNewLinesAndNewTasksUntilClosed() {
    broker.send(subscription("f", service("svc-a"), true));
    await().atMost(TIMEOUT).until(() -> runtime.isFollowing("t1") && runtime.isFollowing("t3"));
    await().atMost(TIMEOUT).until(() -> broker.lines("f").size() == 3);

    runtime.write("t1", "t1 later");
    runtime.lines("t9", "t9 from a new task");
    assigned.add(task("t9", "svc-a"));

    await()
        .atMost(TIMEOUT)
        .until(
            () -> broker.lines("f").containsAll(List.of("t1: t1 later", "t9: t9 from a new task")));
    assertThat(broker.closed("f")).isFalse();
    assertThat(broker.logMessages("f"))
        .filteredOn(m -> FakeLogBroker.render(m).equals("t1: t1 later"))
        .singleElement()
        .extracting(LogMessage::getStream)
        .isEqualTo(LogStream.LOG_STREAM_STDERR);

    broker.send(SubscriptionMessage.newBuilder().setId("f").setClose(true).build());

    await()
        .atMost(TIMEOUT)
        .until(() -> broker.closed("f") && broker.streamEnds.contains("completed"));
    assertThat(runtime.closedHandles).containsExactlyInAnyOrder("t1", "t3", "t9");
    assertThat(publisher.activeSubscriptions()).isEmpty();
  }

  @Test
  void theListenerReconnectsWhenItsStreamBreaksAndARepeatIsNotPublishedTwice() {
    broker.send(subscription("once", service("svc-b"), false));
    await().atMost(TIMEOUT).until(() -> broker.closed("once"));

    broker.breakListener();
    await().atMost(TIMEOUT).until(() -> broker.listens.get() == 2);
    broker.send(subscription("once", service("svc-b"), false));
    broker.send(subscription("after", service("svc-b"), false));

    await().atMost(TIMEOUT).until(() -> broker.closed("after"));
    assertThat(broker.lines("after")).containsExactly("t2: t2 only");
    assertThat(broker.lines("once")).containsExactly("t2: t2 only");
    assertThat(runtime.readsStarted).containsExactly("t2", "t2");
  }

  @Test
  void theSessionEndingStopsEveryReader() {
    broker.send(subscription("f", service("svc-a"), true));
    await().atMost(TIMEOUT).until(() -> runtime.isFollowing("t1") && runtime.isFollowing("t3"));

    session.cancel(null);
    publisher.sessionEnded("s1");

    assertThat(runtime.closedHandles).containsExactlyInAnyOrder("t1", "t3");
    assertThat(publisher.activeSubscriptions()).isEmpty();
    await().atMost(TIMEOUT).until(() -> broker.streamEnds.contains("CANCELLED"));
    assertThat(broker.closed("f")).isFalse();
  }

  @Test
  void compositeWorkStartsInOrderAndEndsInReverse() {
    List<String> calls = new ArrayList<>();
    Agent.SessionWork a = recording("a", calls);
    Agent.SessionWork b = recording("b", calls);
    CompositeWork both = new CompositeWork(a, b);

    both.sessionStarted(channel, "s9", session);
    both.sessionEnded("s9");

    assertThat(calls).containsExactly("a started s9", "b started s9", "b ended s9", "a ended s9");
  }

  private static Agent.SessionWork recording(String name, List<String> calls) {
    return new Agent.SessionWork() {
      @Override
      public void sessionStarted(
          ManagedChannel ch, String sessionId, Context.CancellableContext s) {
        calls.add(name + " started " + sessionId);
      }

      @Override
      public void sessionEnded(String sessionId) {
        calls.add(name + " ended " + sessionId);
      }
    };
  }
}
