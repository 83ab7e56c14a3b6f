package io.corral.manager.controlapi;

import static io.corral.manager.controlapi.ServiceSpecValidatorTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corral.api.Annotations;
import io.corral.api.Cluster;
import io.corral.api.ClusterSpec;
import io.corral.api.CreateNetworkRequest;
import io.corral.api.CreateServiceRequest;
import io.corral.api.GetServiceRequest;
import io.corral.api.GlobalService;
import io.corral.api.ListServiceStatusesRequest;
import io.corral.api.ListServiceStatusesResponse.ServiceStatus;
import io.corral.api.ListTasksRequest;
import io.corral.api.Network;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.NetworkSpec;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.RemoveServiceRequest;
import io.corral.api.ReplicatedService;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.UpdateServiceRequest;
import io.corral.api.Version;
import io.corral.manager.orchestrator.Orchestration;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Control API driving the real orchestrators: create, scale and remove services end to end. */
class ServiceLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final InMemoryStore store = new InMemoryStore();
  private final ServiceApi services = new ServiceApi(store, Clock.systemUTC());
  private final TaskApi tasks = new TaskApi(store);
  private Orchestration orchestration;

  @BeforeEach
  void start() {
    store.update(
        tx -> {
          tx.create(
              Cluster.newBuilder()
                  .setId("c1")
                  .setSpec(
                      ClusterSpec.newBuilder()
                          .setAnnotations(Annotations.newBuilder().setName("default")))
                  .build());
          for (String id : List.of("n1", "n2", "n3")) {
            tx.create(
                Node.newBuilder()
                    .setId(id)
                    .setSpec(NodeSpec.newBuilder().setAvailability(NodeSpec.Availability.ACTIVE))
                    .setDescription(NodeDescription.newBuilder().setHostname("host-" + id))
                    .setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.READY))
                    .build());
          }
        });
    orchestration = Orchestration.start(store, () -> true, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    orchestration.close();
    store.close();
  }

  private List<Task> tasksOf(Service s) {
    return tasks.list(
        ListTasksRequest.newBuilder()
            .setFilters(ListTasksRequest.Filters.newBuilder().addServiceIds(s.getId()))
            .build());
  }

  private List<Task> live(Service s) {
    return tasksOf(s).stream().filter(t -> t.getDesiredState() == TaskState.RUNNING).toList();
  }

  private Service scale(Service s, long replicas) {
    Service current = services.get(GetServiceRequest.newBuilder().setServiceId(s.getId()).build());
    return services.update(
        UpdateServiceRequest.newBuilder()
            .setServiceId(s.getId())
            .setServiceVersion(Version.newBuilder().setIndex(current.getMeta().getVersion()))
            .setSpec(
                current.getSpec().toBuilder()
                    .setReplicated(ReplicatedService.newBuilder().setReplicas(replicas)))
            .build());
  }

  /**
   * What the scheduler and an agent would do: put a pending task on a node and report it running.
   */
  private void runOn(String taskId, String node) {
    store.update(
        tx -> {
          Task t = tx.get(ObjectKind.TASK, taskId).orElseThrow();
          Task.Builder b = t.toBuilder().setNodeId(node.isEmpty() ? t.getNodeId() : node);
          b.getStatusBuilder().setState(TaskState.RUNNING);
          tx.update(b.build());
        });
  }

  @Test
  void tasksOfAServiceOnANetworkGetAddressesFromTheLeadersAllocators() {
    NetworkApi networks = new NetworkApi(store);
    Network front =
        networks.create(
            CreateNetworkRequest.newBuilder()
                .setSpec(
                    NetworkSpec.newBuilder()
                        .setAnnotations(Annotations.newBuilder().setName("front")))
                .build());
    ServiceSpec.Builder spec =
        spec("web").setReplicated(ReplicatedService.newBuilder().setReplicas(3));
    spec.getTaskBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("front"));
    Service web = services.create(CreateServiceRequest.newBuilder().setSpec(spec).build());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Task> ts = live(web);
              assertThat(ts).hasSize(3);
              assertThat(ts).allMatch(t -> t.getStatus().getState() == TaskState.PENDING);
              Service now =
                  services.get(GetServiceRequest.newBuilder().setServiceId(web.getId()).build());
              List<String> addresses = new ArrayList<>();
              addresses.add(now.getEndpoint().getVirtualIps(0).getAddr());
              ts.forEach(t -> addresses.add(t.getNetworks(0).getAddresses(0)));
              assertThat(addresses).doesNotHaveDuplicates().allMatch(a -> a.startsWith("10.0.0."));
              assertThat(ts.get(0).getNetworks(0).getNetwork().getId()).isEqualTo(front.getId());
            });
  }

  @Test
  void aCreatedServiceGetsPendingTasksCarryingItsSpecVersionAndScales() {
    Service web =
        services.create(
            CreateServiceRequest.newBuilder()
                .setSpec(spec("web").setReplicated(ReplicatedService.newBuilder().setReplicas(3)))
                .build());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Task> ts = live(web);
              assertThat(ts).hasSize(3);
              assertThat(ts)
                  .allSatisfy(
                      t -> {
                        assertThat(t.getStatus().getState()).isIn(TaskState.NEW, TaskState.PENDING);
                        assertThat(t.getSpecVersion().getIndex())
                            .isEqualTo(web.getSpecVersion().getIndex());
                        assertThat(t.getSpec()).isEqualTo(web.getSpec().getTask());
                        assertThat(t.getAnnotations().getName())
                            .startsWith("web." + t.getSlot() + ".");
                      });
              assertThat(ts).extracting(Task::getSlot).containsExactlyInAnyOrder(1L, 2L, 3L);
            });
    await()
        .atMost(WAIT)
        .until(
            () -> live(web).stream().allMatch(t -> t.getStatus().getState() == TaskState.PENDING));

    // Tasks are up to date with their service; a scale leaves them so.
    scale(web, 5);
    await().atMost(WAIT).until(() -> live(web).size() == 5);
    assertThat(
            tasks.list(
                ListTasksRequest.newBuilder()
                    .setFilters(
                        ListTasksRequest.Filters.newBuilder()
                            .addServiceIds(web.getId())
                            .setUpToDate(true))
                    .build()))
        .hasSize(5);
    scale(web, 2);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(live(web)).extracting(Task::getSlot).containsExactlyInAnyOrder(1L, 2L));
  }

  @Test
  void aGlobalServiceGetsATaskPerNodeAndItsStatusCountsThem() {
    Service agent =
        services.create(
            CreateServiceRequest.newBuilder()
                .setSpec(spec("agent").setGlobal(GlobalService.getDefaultInstance()))
                .build());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(live(agent))
                    .extracting(Task::getNodeId)
                    .containsExactlyInAnyOrder("n1", "n2", "n3"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                live(agent).stream().allMatch(t -> t.getStatus().getState() == TaskState.PENDING));
    live(agent).forEach(t -> runOn(t.getId(), ""));
    ServiceStatus status =
        services
            .statuses(ListServiceStatusesRequest.newBuilder().addServices(agent.getId()).build())
            .get(0);
    assertThat(status.getDesiredTasks()).isEqualTo(3);
    assertThat(status.getRunningTasks()).isEqualTo(3);
    assertThatThrownBy(
            () ->
                services.statuses(
                    ListServiceStatusesRequest.newBuilder().addServices("nope").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void removingAServiceShutsDownAndThenDeletesAllItsTasks() {
    Service web =
        services.create(
            CreateServiceRequest.newBuilder()
                .setSpec(spec("web").setReplicated(ReplicatedService.newBuilder().setReplicas(4)))
                .build());
    await()
        .atMost(WAIT)
        .until(
            () ->
                live(web).size() == 4
                    && live(web).stream()
                        .allMatch(t -> t.getStatus().getState() == TaskState.PENDING));
    // Two of them reach an agent and run; the others are still waiting for a node.
    List<Task> first = live(web);
    runOn(first.get(0).getId(), "n1");
    runOn(first.get(1).getId(), "n2");

    services.remove(RemoveServiceRequest.newBuilder().setServiceId("web").build());

    // Every task is told to go; those that never reached an agent are gone soon after.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Task> left = tasksOf(web);
              assertThat(left)
                  .allSatisfy(t -> assertThat(t.getDesiredState()).isEqualTo(TaskState.REMOVE));
              assertThat(left)
                  .extracting(Task::getId)
                  .containsExactlyInAnyOrder(first.get(0).getId(), first.get(1).getId());
            });
    // The agents stop the running ones and report it; the reaper then deletes them.
    for (Task t : tasksOf(web)) {
      store.update(
          tx -> {
            Task.Builder b = tx.get(ObjectKind.TASK, t.getId()).orElseThrow().toBuilder();
            b.getStatusBuilder().setState(TaskState.SHUTDOWN);
            tx.update(b.build());
          });
    }
    await().atMost(WAIT).until(() -> tasksOf(web).isEmpty());
    // Nothing brought the service back.
    List<Service> left = store.view(tx -> tx.list(ObjectKind.SERVICE));
    assertThat(left).isEmpty();
  }
}
