package io.corral.manager.dispatcher;

import static io.corral.manager.dispatcher.NetFixtures.node;
import static io.corral.manager.dispatcher.NetFixtures.task;
import static io.corral.manager.dispatcher.NetFixtures.vipService;
import static io.corral.manager.dispatcher.NetFixtures.withDesired;
import static io.corral.manager.dispatcher.NetFixtures.withState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.AssignmentChange;
import io.corral.api.AssignmentsMessage;
import io.corral.api.Node;
import io.corral.api.NodeStatus;
import io.corral.api.Service;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import io.corral.api.TaskEndpoint;
import io.corral.api.TaskState;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes' assignment streams, fed by the hub from an in-memory store: tasks, and the service
 * endpoints of the networks each node has tasks on, complete first and then incremental.
 */
class AssignmentHubTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final InMemoryStore store = new InMemoryStore();
  private AssignmentHub hub;

  /** Every message any node received, in the order they were sent. */
  private final List<Received> sent = new CopyOnWriteArrayList<>();

  private final Service web = vipService("svc-web", "web", "netA", "10.0.1.2/24");
  private final Service api = vipService("svc-api", "api", "netA", "10.0.1.3/24");
  private final Service db = vipService("svc-db", "db", "netB", "10.0.2.2/24");

  private record Received(String nodeId, AssignmentsMessage message) {}

  /** What a node holds after applying every message it got, as an agent would. */
  private record Held(Set<String> tasks, Map<EndpointIndex.Key, ServiceEndpoints> endpoints) {}

  @BeforeEach
  void setUp() {
    store.update(
        tx -> {
          tx.create(node("n1", "192.168.0.1"));
          tx.create(node("n2", "192.168.0.2"));
          tx.create(node("n3", "192.168.0.3"));
          tx.create(web);
          tx.create(api);
          tx.create(db);
          tx.create(task("w1", web, 1, "n1", "netA", "10.0.1.5/24"));
          tx.create(task("w2", web, 2, "n2", "netA", "10.0.1.6/24"));
          tx.create(task("d1", db, 1, "n3", "netB", "10.0.2.5/24"));
          tx.create(task("plain", db, 2, "n3", null, null));
        });
    hub = new AssignmentHub(store).start();
  }

  @AfterEach
  void tearDown() {
    hub.close();
    store.close();
  }

  private AssignmentStream open(String nodeId) {
    return new AssignmentStream(hub, nodeId, recorder(nodeId)).start();
  }

  private StreamObserver<AssignmentsMessage> recorder(String nodeId) {
    return new StreamObserver<>() {
      @Override
      public void onNext(AssignmentsMessage m) {
        sent.add(new Received(nodeId, m));
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  private List<AssignmentsMessage> messages(String nodeId) {
    return sent.stream().filter(r -> r.nodeId().equals(nodeId)).map(Received::message).toList();
  }

  private Held held(String nodeId) {
    Set<String> tasks = new TreeSet<>();
    Map<EndpointIndex.Key, ServiceEndpoints> endpoints = new HashMap<>();
    for (AssignmentsMessage m : messages(nodeId)) {
      if (m.getType() == AssignmentsMessage.Type.COMPLETE) {
        tasks.clear();
        endpoints.clear();
      }
      for (AssignmentChange c : m.getChangesList()) {
        boolean remove = c.getAction() == AssignmentChange.AssignmentAction.REMOVE;
        if (c.getAssignment().hasTask()) {
          if (remove) {
            tasks.remove(c.getAssignment().getTask().getId());
          } else {
            tasks.add(c.getAssignment().getTask().getId());
          }
        } else if (c.getAssignment().hasServiceEndpoints()) {
          ServiceEndpoints e = c.getAssignment().getServiceEndpoints();
          EndpointIndex.Key k = new EndpointIndex.Key(e.getServiceId(), e.getNetworkId());
          if (remove) {
            assertThat(e.getServiceName()).as("a REMOVE carries only the pair's ids").isEmpty();
            endpoints.remove(k);
          } else {
            endpoints.put(k, e);
          }
        }
      }
    }
    return new Held(tasks, endpoints);
  }

  private static List<String> backends(Held h, String serviceId, String networkId) {
    ServiceEndpoints e = h.endpoints().get(new EndpointIndex.Key(serviceId, networkId));
    return e == null ? null : e.getTasksList().stream().map(TaskEndpoint::getTaskId).toList();
  }

  private void updateTask(String id, UnaryOperator<Task> change) {
    store.update(tx -> tx.update(change.apply(tx.get(ObjectKind.TASK, id).orElseThrow())));
  }

  @Test
  void aNodeGetsTheEndpointsOfEveryServiceOnlyOnTheNetworksItHasTasksOn() {
    open("n1");
    open("n3");
    await().atMost(WAIT).until(() -> !messages("n1").isEmpty() && !messages("n3").isEmpty());

    Held n1 = held("n1");
    assertThat(n1.tasks()).containsExactly("w1");
    // web has tasks on netA; api has none anywhere but is on netA through its VIP.
    assertThat(n1.endpoints().keySet())
        .containsExactlyInAnyOrder(
            new EndpointIndex.Key("svc-web", "netA"), new EndpointIndex.Key("svc-api", "netA"));
    ServiceEndpoints w = n1.endpoints().get(new EndpointIndex.Key("svc-web", "netA"));
    assertThat(w.getTasksList())
        .extracting(TaskEndpoint::getTaskId, TaskEndpoint::getNodeAddr, TaskEndpoint::getName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("w1", "192.168.0.1", "web.1.w1"),
            org.assertj.core.groups.Tuple.tuple("w2", "192.168.0.2", "web.2.w2"));
    assertThat(backends(n1, "svc-api", "netA")).isEmpty();

    Held n3 = held("n3");
    assertThat(n3.tasks()).containsExactlyInAnyOrder("d1", "plain");
    assertThat(n3.endpoints().keySet()).containsExactly(new EndpointIndex.Key("svc-db", "netB"));
  }

  @Test
  void backendChangesReachEveryNodeOnTheNetworkAndOnlyThose() {
    open("n1");
    open("n2");
    open("n3");
    await().atMost(WAIT).until(() -> held("n2").endpoints().size() == 2);
    int toN3 = messages("n3").size();

    updateTask("w2", t -> withState(t, TaskState.FAILED));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(backends(held("n1"), "svc-web", "netA")).containsExactly("w1"));
    // n2's last task on netA ended: it is withdrawn from the network's entries.
    await().atMost(WAIT).untilAsserted(() -> assertThat(held("n2").endpoints()).isEmpty());
    assertThat(held("n2").tasks()).containsExactly("w2");
    assertThat(messages("n3")).hasSize(toN3);
  }

  @Test
  void aNewTaskOnANetworkGivesItsNodeTheNetworksEntries() {
    open("n3");
    await().atMost(WAIT).until(() -> !messages("n3").isEmpty());

    store.update(tx -> tx.create(task("w3", web, 3, "n3", "netA", "10.0.1.7/24")));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(held("n3").endpoints().keySet())
                    .containsExactlyInAnyOrder(
                        new EndpointIndex.Key("svc-web", "netA"),
                        new EndpointIndex.Key("svc-api", "netA"),
                        new EndpointIndex.Key("svc-db", "netB")));
    assertThat(backends(held("n3"), "svc-web", "netA")).containsExactly("w1", "w2", "w3");
  }

  @Test
  void aTaskBeingStoppedLeavesEveryNodesBackendsBeforeItsNodeIsToldToStopIt() {
    open("n1");
    open("n2");
    await()
        .atMost(WAIT)
        .until(() -> held("n1").endpoints().size() == 2 && held("n2").endpoints().size() == 2);
    int before = sent.size();

    updateTask("w2", t -> withDesired(t, TaskState.SHUTDOWN));

    await().atMost(WAIT).until(() -> stopSentAt("n2", before) >= 0);
    int stop = stopSentAt("n2", before);
    int n1Update = -1;
    int n2Update = -1;
    for (int i = before; i < sent.size(); i++) {
      Received r = sent.get(i);
      for (AssignmentChange c : r.message().getChangesList()) {
        if (c.getAssignment().hasServiceEndpoints()
            && c.getAssignment().getServiceEndpoints().getServiceId().equals("svc-web")) {
          assertThat(c.getAssignment().getServiceEndpoints().getTasksList())
              .extracting(TaskEndpoint::getTaskId)
              .containsExactly("w1");
          if (r.nodeId().equals("n1") && n1Update < 0) {
            n1Update = i;
          }
          if (r.nodeId().equals("n2") && n2Update < 0) {
            n2Update = i;
          }
        }
      }
    }
    assertThat(n1Update).as("n1 told w2 left the backends").isGreaterThanOrEqualTo(before);
    assertThat(n2Update).as("n2 told w2 left the backends").isGreaterThanOrEqualTo(before);
    assertThat(List.of(n1Update, n2Update))
        .as("before n2 is told to stop w2")
        .allMatch(i -> i < stop);
    // Still attached until it ends: the data path keeps reaching it while it drains.
    assertThat(
            held("n1").endpoints().get(new EndpointIndex.Key("svc-web", "netA")).getAttachedList())
        .extracting(TaskEndpoint::getTaskId)
        .containsExactly("w1", "w2");
  }

  /** Index in {@link #sent} of the first message to the node, from {@code from}, that stops w2. */
  private int stopSentAt(String nodeId, int from) {
    for (int i = from; i < sent.size(); i++) {
      Received r = sent.get(i);
      if (r.nodeId().equals(nodeId)
          && r.message().getChangesList().stream()
              .anyMatch(
                  c ->
                      c.getAssignment().hasTask()
                          && c.getAssignment().getTask().getId().equals("w2")
                          && c.getAssignment().getTask().getDesiredState() == TaskState.SHUTDOWN)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aReconnectingNodesCompleteSetHasItsEndpoints() {
    AssignmentStream first = open("n1");
    await().atMost(WAIT).until(() -> !messages("n1").isEmpty());
    updateTask("w2", t -> withState(t, TaskState.FAILED));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(backends(held("n1"), "svc-web", "netA")).containsExactly("w1"));

    first.close();
    sent.clear();
    open("n1");

    await().atMost(WAIT).until(() -> !messages("n1").isEmpty());
    AssignmentsMessage complete = messages("n1").get(0);
    assertThat(complete.getType()).isEqualTo(AssignmentsMessage.Type.COMPLETE);
    List<String> items = new ArrayList<>();
    for (AssignmentChange c : complete.getChangesList()) {
      items.add(
          c.getAssignment().hasTask()
              ? "task " + c.getAssignment().getTask().getId()
              : "endpoints " + c.getAssignment().getServiceEndpoints().getServiceName());
    }
    assertThat(items).containsExactlyInAnyOrder("task w1", "endpoints web", "endpoints api");
    assertThat(backends(held("n1"), "svc-web", "netA")).containsExactly("w1");
  }

  @Test
  void aServiceChangeAndANodeAddressChangeUpdateTheEntries() {
    open("n1");
    await().atMost(WAIT).until(() -> held("n1").endpoints().size() == 2);

    store.update(
        tx -> {
          Node n2 = tx.get(ObjectKind.NODE, "n2").orElseThrow();
          tx.update(
              n2.toBuilder()
                  .setStatus(
                      NodeStatus.newBuilder()
                          .setState(NodeStatus.State.READY)
                          .setAddr("192.168.9.9"))
                  .build());
        });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        held("n1")
                            .endpoints()
                            .get(new EndpointIndex.Key("svc-web", "netA"))
                            .getTasksList())
                    .extracting(TaskEndpoint::getNodeAddr)
                    .containsExactly("192.168.0.1", "192.168.9.9"));

    store.update(tx -> tx.delete(ObjectKind.SERVICE, "svc-api"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(held("n1").endpoints().keySet())
                    .containsExactly(new EndpointIndex.Key("svc-web", "netA")));
  }
}
