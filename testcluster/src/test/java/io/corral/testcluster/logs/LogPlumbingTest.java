package io.corral.testcluster.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.Annotations;
import io.corral.api.ControlGrpc;
import io.corral.api.LogMessage;
import io.corral.api.LogSelector;
import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.Service;
import io.corral.api.ServiceLogsRequest;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.manager.logbroker.LeaderForwarder;
import io.corral.manager.logbroker.LogBroker;
import io.corral.manager.logbroker.ServiceLogs;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.RaftView;
import io.corral.manager.store.StorePeer;
import io.corral.worker.agent.LocalTasks;
import io.corral.worker.agent.LogPublisher;
import io.corral.worker.agent.TaskRuntime;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The manager's log broker and the agents' log publishers together, in one JVM over localhost gRPC
 * (plaintext; the node id travels in a test header instead of a certificate): `service logs` with
 * and without follow.
 */
class LogPlumbingTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final Metadata.Key<String> NODE =
      Metadata.Key.of("test-node-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> CALLER = Context.key("test-caller");

  private final InMemoryStore store = new InMemoryStore();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private LogBroker broker;
  private ServiceLogs serviceLogs;
  private Server server;
  private ManagedChannel cli;

  /**
   * A node's runtime: each task has past lines; following, written lines arrive until the handle
   * closes.
   */
  private static final class Runtime implements TaskRuntime {
    final Map<String, List<String>> past = new ConcurrentHashMap<>();
    final Map<String, LogSink> followers = new ConcurrentHashMap<>();

    @Override
    public AutoCloseable logs(String taskId, LogSubscriptionOptions options, LogSink sink) {
      List<String> lines = past.getOrDefault(taskId, List.of());
      CompletableFuture<Void> closed = new CompletableFuture<>();
      Thread t =
          new Thread(
              () -> {
                lines.forEach(
                    l ->
                        sink.line(
                            Instant.now(),
                            LogStream.LOG_STREAM_STDOUT,
                            (l + "\n").getBytes(StandardCharsets.UTF_8)));
                if (options.getFollow()) {
                  followers.put(taskId, sink);
                  closed.join();
                }
                sink.end();
              });
      t.setDaemon(true);
      t.start();
      return () -> closed.complete(null);
    }

    @Override
    public Map<String, TaskStatus> adopt(Listener listener) {
      return Map.of();
    }

    @Override
    public void start(Task task, Listener listener) {}

    @Override
    public void stop(String taskId, Duration gracePeriod) {}

    @Override
    public void remove(String taskId, Duration gracePeriod) {}
  }

  /** One worker: its runtime, its assigned tasks and its publisher in a session with the broker. */
  private final class Worker implements LocalTasks, AutoCloseable {
    final String id;
    final Runtime runtime = new Runtime();
    final List<Task> tasks = new CopyOnWriteArrayList<>();
    final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    final LogPublisher publisher = new LogPublisher(runtime, this);
    final ManagedChannel raw;
    final Context.CancellableContext session = Context.current().withCancellation();

    Worker(String id) {
      this.id = id;
      store.update(
          tx ->
              tx.create(
                  Node.newBuilder()
                      .setId(id)
                      .setDescription(NodeDescription.newBuilder().setHostname("host-" + id))
                      .build()));
      raw = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
      publisher.sessionStarted(new AsNode(raw, id), "session-" + id, session);
      await().atMost(TIMEOUT).until(() -> broker.connected(id));
    }

    void run(String taskId, String serviceId, String... lines) {
      runtime.past.put(taskId, List.of(lines));
      Task t =
          Task.newBuilder()
              .setId(taskId)
              .setServiceId(serviceId)
              .setNodeId(id)
              .setDesiredState(TaskState.RUNNING)
              .setStatus(TaskStatus.newBuilder().setState(TaskState.RUNNING))
              .build();
      store.update(tx -> tx.create(t));
      tasks.add(t);
      listeners.forEach(Runnable::run);
    }

    @Override
    public Collection<Task> assigned() {
      return List.copyOf(tasks);
    }

    @Override
    public void onChange(Runnable listener) {
      listeners.add(listener);
    }

    @Override
    public void close() {
      session.cancel(null);
      publisher.sessionEnded("session-" + id);
      publisher.close();
      raw.shutdownNow();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    RaftView leader =
        new RaftView() {
          @Override
          public String selfId() {
            return "m1";
          }

          @Override
          public boolean isLeader() {
            return true;
          }

          @Override
          public Optional<String> leaderId() {
            return Optional.of("m1");
          }

          @Override
          public List<StorePeer> members() {
            return List.of();
          }

          @Override
          public Map<String, Boolean> reachability() {
            return Map.of();
          }
        };
    broker = new LogBroker(() -> CALLER.get(), () -> true, Duration.ofMillis(500));
    serviceLogs =
        new ServiceLogs(
            store,
            leader,
            broker,
            new LeaderForwarder(
                store,
                leader,
                addr -> {
                  throw new AssertionError("the leader forwards nothing");
                }));
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(broker, new CallerFromHeader()))
            .addService(
                new ControlGrpc.ControlImplBase() {
                  @Override
                  public void serviceLogs(
                      ServiceLogsRequest request, StreamObserver<LogMessage> out) {
                    serviceLogs.serve(request, out);
                  }
                })
            .build()
            .start();
    cli = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    store.update(
        tx ->
            tx.create(
                Service.newBuilder()
                    .setId("web")
                    .setSpec(
                        ServiceSpec.newBuilder()
                            .setAnnotations(Annotations.newBuilder().setName("web")))
                    .build()));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    cli.shutdownNow();
    serviceLogs.close();
    broker.close();
    server.shutdownNow();
    store.close();
  }

  private Worker worker(String id) {
    Worker w = new Worker(id);
    closing.add(w);
    return w;
  }

  @Test
  void serviceLogsGathersEveryTasksLinesFromTheirNodesAndEnds() {
    Worker w1 = worker("w1");
    Worker w2 = worker("w2");
    w1.run("web.1", "web", "hello from 1", "bye from 1");
    w2.run("web.2", "web", "hello from 2");
    w2.run("other.1", "other", "not asked for");

    List<String> lines = new ArrayList<>();
    ControlGrpc.newBlockingStub(cli)
        .withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .serviceLogs(
            ServiceLogsRequest.newBuilder()
                .setSelector(LogSelector.newBuilder().addServiceIds("web"))
                .build())
        .forEachRemaining(
            m ->
                lines.add(
                    m.getContext().getTaskId()
                        + "@"
                        + m.getContext().getNodeId()
                        + ": "
                        + m.getData().toStringUtf8().strip()));

    assertThat(lines)
        .containsExactlyInAnyOrder(
            "web.1@w1: hello from 1", "web.1@w1: bye from 1", "web.2@w2: hello from 2");
    assertThat(lines).containsSubsequence("web.1@w1: hello from 1", "web.1@w1: bye from 1");
  }

  @Test
  void followingShowsNewLinesAndNewTasksUntilTheUserStops() throws Exception {
    Worker w1 = worker("w1");
    Worker w2 = worker("w2");
    w1.run("web.1", "web", "started");

    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Status> ended = new CompletableFuture<>();
    ClientCallStreamObserver<?>[] call = new ClientCallStreamObserver<?>[1];
    ControlGrpc.newStub(cli)
        .serviceLogs(
            ServiceLogsRequest.newBuilder()
                .setSelector(LogSelector.newBuilder().addServiceIds("web"))
                .setOptions(LogSubscriptionOptions.newBuilder().setFollow(true))
                .build(),
            new ClientResponseObserver<ServiceLogsRequest, LogMessage>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<ServiceLogsRequest> requestStream) {
                call[0] = requestStream;
              }

              @Override
              public void onNext(LogMessage m) {
                lines.add(m.getContext().getNodeId() + ": " + m.getData().toStringUtf8().strip());
              }

              @Override
              public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                ended.complete(Status.OK);
              }
            });
    await().atMost(TIMEOUT).until(() -> lines.contains("w1: started"));

    await().atMost(TIMEOUT).until(() -> w1.runtime.followers.containsKey("web.1"));
    w1.runtime
        .followers
        .get("web.1")
        .line(
            Instant.now(), LogStream.LOG_STREAM_STDOUT, "later\n".getBytes(StandardCharsets.UTF_8));
    // Scaling up: a task of the service appears on w2, which was not concerned before.
    w2.run("web.2", "web", "new replica");

    await().atMost(TIMEOUT).until(() -> lines.containsAll(List.of("w1: later", "w2: new replica")));
    assertThat(ended).isNotDone();

    call[0].cancel("^C", null);

    assertThat(ended.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getCode())
        .isEqualTo(Status.Code.CANCELLED);
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                w1.publisher.activeSubscriptions().isEmpty()
                    && w2.publisher.activeSubscriptions().isEmpty());
  }

  @Test
  void aWorkerWithoutASessionIsReportedAtTheEndInsteadOfHanging() {
    Worker w1 = worker("w1");
    w1.run("web.1", "web", "here");
    Task away =
        Task.newBuilder()
            .setId("web.2")
            .setServiceId("web")
            .setNodeId("w-down")
            .setStatus(TaskStatus.newBuilder().setState(TaskState.RUNNING))
            .build();
    store.update(
        tx -> {
          tx.create(
              Node.newBuilder()
                  .setId("w-down")
                  .setDescription(NodeDescription.newBuilder().setHostname("box"))
                  .build());
          tx.create(away);
        });

    List<String> lines = new ArrayList<>();
    Throwable failure = null;
    try {
      ControlGrpc.newBlockingStub(cli)
          .withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
          .serviceLogs(
              ServiceLogsRequest.newBuilder()
                  .setSelector(LogSelector.newBuilder().addServiceIds("web"))
                  .build())
          .forEachRemaining(m -> lines.add(m.getData().toStringUtf8().strip()));
    } catch (RuntimeException e) {
      failure = e;
    }

    assertThat(lines).containsExactly("here");
    Status status = Status.fromThrowable(failure);
    assertThat(status.getCode()).isEqualTo(ServiceLogs.INCOMPLETE);
    assertThat(status.getDescription()).contains("box (w-down)").contains("not connected");
  }

  /**
   * Sets the caller's node id from the test header, as the Authorizer does from the certificate.
   */
  private static final class CallerFromHeader implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return Contexts.interceptCall(
          Context.current().withValue(CALLER, headers.get(NODE)), call, headers, next);
    }
  }

  /** A node's channel: every call carries its node id in the test header. */
  private static final class AsNode extends ManagedChannel {
    private final ManagedChannel raw;
    private final Channel withId;

    AsNode(ManagedChannel raw, String nodeId) {
      Metadata headers = new Metadata();
      headers.put(NODE, nodeId);
      this.raw = raw;
      this.withId =
          ClientInterceptors.intercept(raw, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
      return withId.newCall(method, options);
    }

    @Override
    public String authority() {
      return raw.authority();
    }

    @Override
    public ManagedChannel shutdown() {
      return raw.shutdown();
    }

    @Override
    public boolean isShutdown() {
      return raw.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return raw.isTerminated();
    }

    @Override
    public ManagedChannel shutdownNow() {
      return raw.shutdownNow();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return raw.awaitTermination(timeout, unit);
    }
  }
}
