package io.corral.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.LogSubscriptionOptions;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import io.corral.api.TaskEndpoint;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.worker.network.EndpointTable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A networked task is stopped only after it left the backends; others at once. */
class DrainBeforeStopTest {

  /** Records stops and removals. */
  private static final class Recording implements TaskRuntime {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, TaskStatus> adopt(Listener listener) {
      return Map.of();
    }

    @Override
    public void start(Task task, Listener listener) {
      calls.add("start " + task.getId());
    }

    @Override
    public void stop(String taskId, Duration gracePeriod) {
      calls.add("stop " + taskId);
    }

    @Override
    public void remove(String taskId, Duration gracePeriod) {
      calls.add("remove " + taskId);
    }

    @Override
    public AutoCloseable logs(String taskId, LogSubscriptionOptions options, LogSink sink) {
      sink.end();
      return () -> {};
    }
  }

  private final Recording runtime = new Recording();
  private final EndpointTable table = new EndpointTable();
  private DrainBeforeStop drain;

  @AfterEach
  void close() {
    if (drain != null) {
      drain.close();
    }
  }

  private static ServiceEndpoints web(String... backends) {
    ServiceEndpoints.Builder b =
        ServiceEndpoints.newBuilder()
            .setServiceId("svc-web")
            .setServiceName("web")
            .setNetworkId("netA");
    for (String id : backends) {
      TaskEndpoint e = TaskEndpoint.newBuilder().setTaskId(id).setAddress("10.0.1.5/24").build();
      b.addTasks(e).addAttached(e);
    }
    return b.build();
  }

  @Test
  void aTaskNoEntryListsIsStoppedAtOnce() {
    drain = new DrainBeforeStop(runtime, table, Duration.ofMinutes(5));
    table.replaceAll(List.of(web("t1")));

    drain.stop("plain", Duration.ofSeconds(10));
    drain.remove("other", Duration.ofSeconds(10));

    assertThat(runtime.calls).containsExactly("stop plain", "remove other");
    assertThat(drain.waiting()).isEmpty();
  }

  @Test
  void aBackendIsStoppedOnceTheUpdateWithdrawingItArrives() {
    drain = new DrainBeforeStop(runtime, table, Duration.ofMinutes(5));
    table.replaceAll(List.of(web("t1", "t2")));

    drain.stop("t1", Duration.ofSeconds(10));
    assertThat(runtime.calls).isEmpty();
    assertThat(drain.waiting()).containsExactly("t1");

    table.change(List.of(web("t1", "t3")), List.of());
    assertThat(runtime.calls).as("still a backend").isEmpty();

    table.change(List.of(web("t3")), List.of());
    assertThat(runtime.calls).containsExactly("stop t1");
    assertThat(drain.waiting()).isEmpty();
  }

  @Test
  void aWithdrawnBackendServesThePropagationTimeBeforeItsStopEvenWhenTheStopCameLate() {
    drain = new DrainBeforeStop(runtime, table, Duration.ofMinutes(5), Duration.ofMinutes(5));
    table.replaceAll(List.of(web("t1", "t2")));

    // t2's withdrawal arrived before its stop (the managers send the other nodes' updates first).
    table.change(List.of(web("t1")), List.of());
    drain.stop("t2", Duration.ofSeconds(10));
    drain.stop("t1", Duration.ofSeconds(10));
    table.change(List.of(web()), List.of());
    drain.stop("plain", Duration.ofSeconds(10));

    assertThat(runtime.calls).containsExactly("stop plain");
    assertThat(drain.settling()).containsExactlyInAnyOrder("t1", "t2");
  }

  @Test
  void aStopAfterThePropagationTimeGoesToTheRuntime() {
    drain = new DrainBeforeStop(runtime, table, Duration.ofMinutes(5), Duration.ofMillis(50));
    table.replaceAll(List.of(web("t1")));
    table.change(List.of(web()), List.of());

    drain.stop("t1", Duration.ofSeconds(10));

    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.calls.contains("stop t1"));
    assertThat(drain.settling()).isEmpty();
  }

  @Test
  void removingTheEntryAlsoReleasesTheStopAndARemovalReplacesAWaitingStop() {
    drain = new DrainBeforeStop(runtime, table, Duration.ofMinutes(5));
    table.replaceAll(List.of(web("t1")));

    drain.stop("t1", Duration.ofSeconds(10));
    drain.remove("t1", Duration.ofSeconds(10));
    drain.stop("t1", Duration.ofSeconds(10));
    assertThat(runtime.calls).isEmpty();

    table.change(List.of(), List.of(new EndpointTable.Key("svc-web", "netA")));
    assertThat(runtime.calls).containsExactly("remove t1");
  }

  @Test
  void theSupervisorsStopOfANetworkedTaskWaitsAndAPlainTasksDoesNot() {
    drain = new DrainBeforeStop(runtime, table, Duration.ofMinutes(5));
    StatusReporter reporter = new StatusReporter();
    try {
      TaskSupervisor supervisor = new TaskSupervisor(drain, reporter);
      Task networked = Task.newBuilder().setId("t1").setDesiredState(TaskState.RUNNING).build();
      Task plain = Task.newBuilder().setId("p1").setDesiredState(TaskState.RUNNING).build();
      supervisor.replaceAll(List.of(networked, plain));
      table.replaceAll(List.of(web("t1")));

      supervisor.change(
          List.of(
              networked.toBuilder().setDesiredState(TaskState.SHUTDOWN).build(),
              plain.toBuilder().setDesiredState(TaskState.SHUTDOWN).build()),
          List.of());
      assertThat(runtime.calls).containsExactly("start t1", "start p1", "stop p1");

      table.change(List.of(web()), List.of());
      assertThat(runtime.calls).containsExactly("start t1", "start p1", "stop p1", "stop t1");
    } finally {
      reporter.close();
    }
  }

  @Test
  void aStopWaitsNoLongerThanTheLimit() {
    drain = new DrainBeforeStop(runtime, table, Duration.ofMillis(100));
    table.replaceAll(List.of(web("t1")));

    drain.stop("t1", Duration.ofSeconds(10));

    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.calls.contains("stop t1"));
    assertThat(drain.waiting()).isEmpty();
    assertThat(runtime.calls).containsExactly("stop t1");
  }
}
