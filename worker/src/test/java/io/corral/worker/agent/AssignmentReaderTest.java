package io.corral.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.Assignment;
import io.corral.api.AssignmentChange;
import io.corral.api.AssignmentsMessage;
import io.corral.api.AssignmentsRequest;
import io.corral.api.DispatcherGrpc;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import io.corral.api.TaskEndpoint;
import io.corral.api.TaskState;
import io.corral.worker.network.EndpointTable;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's reading of an assignment stream from a scripted dispatcher: service endpoints go to
 * the endpoint table, before the same message's tasks go to the task set.
 */
class AssignmentReaderTest {

  private final List<AssignmentsMessage> script = new CopyOnWriteArrayList<>();
  private final EndpointTable table = new EndpointTable();

  /** What the sink was handed, with the backends the table listed at that moment. */
  private final List<String> calls = new CopyOnWriteArrayList<>();

  private Server server;
  private ManagedChannel channel;
  private Context.CancellableContext session;

  @BeforeEach
  void start() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new DispatcherGrpc.DispatcherImplBase() {
                  @Override
                  public void assignments(
                      AssignmentsRequest request, StreamObserver<AssignmentsMessage> out) {
                    script.forEach(out::onNext);
                    // left open, as the dispatcher does
                  }
                })
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    session = Context.current().withCancellation();
  }

  @AfterEach
  void stop() {
    session.cancel(null);
    channel.shutdownNow();
    server.shutdownNow();
  }

  private final AssignmentReader.Sink sink =
      new AssignmentReader.Sink() {
        @Override
        public void replaceAll(List<Task> tasks) {
          calls.add("all " + ids(tasks) + " backends " + backends());
        }

        @Override
        public void change(List<Task> updated, List<String> removed) {
          calls.add("change " + ids(updated) + " -" + removed + " backends " + backends());
        }
      };

  private static List<String> ids(List<Task> tasks) {
    return tasks.stream().map(t -> t.getId() + ":" + t.getDesiredState()).toList();
  }

  private List<String> backends() {
    return table.all().stream()
        .flatMap(e -> e.getTasksList().stream())
        .map(TaskEndpoint::getTaskId)
        .sorted()
        .toList();
  }

  private static ServiceEndpoints web(String... backends) {
    ServiceEndpoints.Builder b =
        ServiceEndpoints.newBuilder()
            .setServiceId("svc-web")
            .setServiceName("web")
            .setNetworkId("netA");
    for (String id : backends) {
      b.addTasks(TaskEndpoint.newBuilder().setTaskId(id));
    }
    return b.build();
  }

  private static AssignmentsMessage message(
      AssignmentsMessage.Type type, int seq, AssignmentChange... changes) {
    return AssignmentsMessage.newBuilder()
        .setType(type)
        .setAppliesTo(seq == 1 ? "" : Integer.toString(seq - 1))
        .setResultsIn(Integer.toString(seq))
        .addAllChanges(List.of(changes))
        .build();
  }

  private static AssignmentChange update(Assignment.Builder a) {
    return AssignmentChange.newBuilder()
        .setAction(AssignmentChange.AssignmentAction.UPDATE)
        .setAssignment(a)
        .build();
  }

  private static AssignmentChange remove(Assignment.Builder a) {
    return AssignmentChange.newBuilder()
        .setAction(AssignmentChange.AssignmentAction.REMOVE)
        .setAssignment(a)
        .build();
  }

  private static Task task(String id, TaskState desired) {
    return Task.newBuilder().setId(id).setDesiredState(desired).build();
  }

  @Test
  void endpointsReachTheTableBeforeTheSameMessagesTasksReachTheTaskSet() {
    script.add(
        message(
            AssignmentsMessage.Type.COMPLETE,
            1,
            update(Assignment.newBuilder().setTask(task("t1", TaskState.RUNNING))),
            update(Assignment.newBuilder().setServiceEndpoints(web("t1", "t2")))));
    script.add(
        message(
            AssignmentsMessage.Type.INCREMENTAL,
            2,
            update(Assignment.newBuilder().setTask(task("t1", TaskState.SHUTDOWN))),
            update(Assignment.newBuilder().setServiceEndpoints(web("t2")))));
    script.add(
        message(
            AssignmentsMessage.Type.INCREMENTAL,
            3,
            remove(
                Assignment.newBuilder()
                    .setServiceEndpoints(
                        ServiceEndpoints.newBuilder()
                            .setServiceId("svc-web")
                            .setNetworkId("netA"))),
            remove(Assignment.newBuilder().setTask(Task.newBuilder().setId("t1")))));

    AssignmentReader.start(channel, "s1", session, sink, table);

    await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 3);
    assertThat(calls)
        .containsExactly(
            "all [t1:RUNNING] backends [t1, t2]",
            "change [t1:SHUTDOWN] -[] backends [t2]",
            "change [] -[t1] backends []");
    assertThat(table.all()).isEmpty();
  }

  @Test
  void aCompleteSetLargerThanGrpcsDefaultLimitArrives() {
    AssignmentsMessage.Builder complete = message(AssignmentsMessage.Type.COMPLETE, 1).toBuilder();
    for (int s = 0; s < 120; s++) {
      ServiceEndpoints.Builder e =
          ServiceEndpoints.newBuilder().setServiceId("s" + s).setNetworkId("netA");
      for (int t = 0; t < 1000; t++) {
        e.addAttached(
            TaskEndpoint.newBuilder()
                .setTaskId("task-" + s + "-" + t + "-0123456789abcdef0123456789"));
      }
      complete.addChanges(update(Assignment.newBuilder().setServiceEndpoints(e)));
    }
    assertThat(complete.build().getSerializedSize()).isGreaterThan(4 << 20);
    script.add(complete.build());

    AssignmentReader.start(channel, "s1", session, sink, table);

    await().atMost(Duration.ofSeconds(10)).until(() -> table.all().size() == 120);
  }
}
