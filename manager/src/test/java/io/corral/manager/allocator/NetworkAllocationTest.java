package io.corral.manager.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Annotations;
import io.corral.api.Cluster;
import io.corral.api.ContainerSpec;
import io.corral.api.EndpointSpec;
import io.corral.api.IPAMConfig;
import io.corral.api.IPAMOptions;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.NetworkSpec;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.manager.controller.ChangeWriter;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The network allocator and the overlay attacher together, on a real (in-memory) store. */
class NetworkAllocationTest {

  private final InMemoryStore store = new InMemoryStore();
  private final Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
  private int nextTask;

  @AfterEach
  void close() {
    store.close();
  }

  private void network(String id, String subnet, String gateway) {
    NetworkSpec.Builder spec =
        NetworkSpec.newBuilder().setAnnotations(Annotations.newBuilder().setName(id));
    if (!subnet.isEmpty()) {
      spec.setIpam(
          IPAMOptions.newBuilder()
              .addConfigs(IPAMConfig.newBuilder().setSubnet(subnet).setGateway(gateway)));
    }
    store.update(tx -> tx.create(Network.newBuilder().setId(id).setSpec(spec).build()));
  }

  private boolean exists(String networkId) {
    return store.view(tx -> tx.get(ObjectKind.NETWORK, networkId)).isPresent();
  }

  private Network net(String id) {
    return store.view(tx -> tx.get(ObjectKind.NETWORK, id)).orElseThrow();
  }

  private static ServiceSpec spec(String name, EndpointSpec.ResolutionMode mode, String... nets) {
    TaskSpec.Builder task =
        TaskSpec.newBuilder().setContainer(ContainerSpec.newBuilder().setImage("app:1"));
    for (String n : nets) {
      task.addNetworks(NetworkAttachmentConfig.newBuilder().setTarget(n).addAliases(name + "-a"));
    }
    return ServiceSpec.newBuilder()
        .setAnnotations(Annotations.newBuilder().setName(name))
        .setTask(task)
        .setEndpoint(EndpointSpec.newBuilder().setMode(mode))
        .build();
  }

  private void service(String id, ServiceSpec spec) {
    store.update(tx -> tx.create(Service.newBuilder().setId(id).setSpec(spec).build()));
  }

  private Service svc(String id) {
    return store.view(tx -> tx.get(ObjectKind.SERVICE, id)).orElseThrow();
  }

  private List<String> tasks(String serviceId, int n) {
    Service s = svc(serviceId);
    List<String> ids = new ArrayList<>();
    store.update(
        tx -> {
          for (int i = 0; i < n; i++) {
            String id = String.format("task%05d", nextTask++);
            ids.add(id);
            tx.create(
                Task.newBuilder()
                    .setId(id)
                    .setServiceId(serviceId)
                    .setSlot(i + 1)
                    .setSpec(s.getSpec().getTask())
                    .setDesiredState(TaskState.RUNNING)
                    .setStatus(TaskStatus.newBuilder().setState(TaskState.NEW))
                    .build());
          }
        });
    return ids;
  }

  private Task task(String id) {
    return store.view(tx -> tx.get(ObjectKind.TASK, id)).orElseThrow();
  }

  private void setState(String id, TaskState state) {
    store.update(
        tx -> {
          Task t = tx.get(ObjectKind.TASK, id).orElseThrow();
          Task.Builder b = t.toBuilder();
          b.getStatusBuilder().setState(state);
          tx.update(b.build());
        });
  }

  /** Runs both allocators (a fresh pair each time, as after a failover) until nothing moves. */
  private void allocate() {
    for (int i = 0; i < 50; i++) {
      int written = new NetworkAllocator(store).allocatePending();
      written += new TaskAllocator(store, clock, new OverlayAttacher()).allocatePending();
      if (written == 0) {
        return;
      }
    }
  }

  /** Every address handed out on the network (gateway, VIPs, live tasks' addresses). */
  private List<String> addressesOn(String networkId) {
    List<String> out = new ArrayList<>();
    out.add(net(networkId).getIpam().getConfigs(0).getGateway());
    ClusterSnapshot s = store.view(ClusterSnapshot::read);
    for (Service svc : s.services().values()) {
      svc.getEndpoint().getVirtualIpsList().stream()
          .filter(v -> v.getNetworkId().equals(networkId))
          .forEach(v -> out.add(v.getAddr().split("/")[0]));
    }
    for (Task t : s.tasks()) {
      if (AddressBook.holdsAddresses(t)) {
        for (NetworkAttachment a : t.getNetworksList()) {
          if (a.getNetwork().getId().equals(networkId)) {
            a.getAddressesList().forEach(x -> out.add(x.split("/")[0]));
          }
        }
      }
    }
    return out;
  }

  @Test
  void networksGetDistinctVnisAndSubnetsFromTheClusterPoolOrTheOneAsked() {
    store.update(
        tx ->
            tx.create(
                Cluster.newBuilder()
                    .setId("c")
                    .addDefaultAddressPool("10.20.0.0/16")
                    .setSubnetSize(26)
                    .build()));
    network("a", "", "");
    network("b", "10.20.0.0/26", "10.20.0.62");
    network("c", "", "");

    allocate();

    assertThat(NetworkAllocator.vni(net("a"))).contains(4096L);
    assertThat(NetworkAllocator.vni(net("b"))).contains(4097L);
    assertThat(NetworkAllocator.vni(net("c"))).contains(4098L);
    assertThat(net("a").getDriverState().getName()).isEqualTo("overlay");
    IPAMConfig a = net("a").getIpam().getConfigs(0);
    IPAMConfig b = net("b").getIpam().getConfigs(0);
    IPAMConfig c = net("c").getIpam().getConfigs(0);
    // The pool skips the subnet b asked for.
    assertThat(a.getSubnet()).isEqualTo("10.20.0.64/26");
    assertThat(a.getGateway()).isEqualTo("10.20.0.65");
    assertThat(b.getSubnet()).isEqualTo("10.20.0.0/26");
    assertThat(b.getGateway()).isEqualTo("10.20.0.62");
    assertThat(c.getSubnet()).isEqualTo("10.20.0.128/26");

    // A VNI freed by a deleted network is reused; one in use never is.
    store.update(tx -> tx.delete(ObjectKind.NETWORK, "a"));
    network("d", "", "");
    allocate();
    assertThat(NetworkAllocator.vni(net("d"))).contains(4096L);
    assertThat(net("d").getIpam().getConfigs(0).getSubnet()).isEqualTo("10.20.0.64/26");
  }

  @Test
  void tasksGetOneAddressPerNetworkWithAliasesAndTheServiceEndpoint() {
    network("front", "10.0.1.0/24", "");
    network("back", "", "");
    service("web", spec("web", EndpointSpec.ResolutionMode.VIP, "front", "back"));
    String t = tasks("web", 1).get(0);

    allocate();

    Service web = svc("web");
    assertThat(web.getEndpoint().getVirtualIpsList())
        .extracting(v -> v.getNetworkId() + "=" + v.getAddr())
        .containsExactly("front=10.0.1.2/24", "back=10.0.0.2/24");
    Task task = task(t);
    assertThat(task.getStatus().getState()).isEqualTo(TaskState.PENDING);
    assertThat(task.getNetworksList())
        .extracting(n -> n.getNetwork().getId() + "=" + n.getAddresses(0))
        .containsExactly("front=10.0.1.3/24", "back=10.0.0.3/24");
    assertThat(task.getNetworks(0).getAliasesList()).containsExactly("web-a");
    assertThat(task.getNetworks(0).getNetwork().getIpam().getConfigs(0).getSubnet())
        .isEqualTo("10.0.1.0/24");
    assertThat(task.getEndpoint()).isEqualTo(web.getEndpoint());
  }

  @Test
  void aServiceStoredWithServiceLevelNetworksStillAttachesItsTasks() {
    network("front", "10.0.1.0/24", "");
    ServiceSpec legacy = spec("web", EndpointSpec.ResolutionMode.VIP);
    service(
        "web",
        legacy.toBuilder()
            .addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("front"))
            .build());
    String t = tasks("web", 1).get(0);
    allocate();
    assertThat(svc("web").getEndpoint().getVirtualIps(0).getAddr()).isEqualTo("10.0.1.2/24");
    assertThat(task(t).getNetworks(0).getAddresses(0)).isEqualTo("10.0.1.3/24");
  }

  @Test
  void dnsrrServicesHaveNoVirtualIpAndVipsFollowTheSpecsNetworks() {
    network("front", "10.0.1.0/24", "");
    network("back", "10.0.2.0/24", "");
    service("rr", spec("rr", EndpointSpec.ResolutionMode.DNSRR, "front"));
    service("web", spec("web", EndpointSpec.ResolutionMode.VIP, "front", "back"));
    allocate();
    assertThat(svc("rr").getEndpoint().getVirtualIpsList()).isEmpty();
    assertThat(svc("rr").getEndpoint().getSpec().getMode())
        .isEqualTo(EndpointSpec.ResolutionMode.DNSRR);
    String frontVip = svc("web").getEndpoint().getVirtualIps(0).getAddr();

    // The service leaves back: its VIP there goes, the one on front stays.
    Service web = svc("web");
    store.update(
        tx ->
            tx.update(
                web.toBuilder()
                    .setSpec(spec("web", EndpointSpec.ResolutionMode.VIP, "front"))
                    .build()));
    allocate();
    assertThat(svc("web").getEndpoint().getVirtualIpsList())
        .extracting(v -> v.getNetworkId() + "=" + v.getAddr())
        .containsExactly("front=" + frontVip);

    // And to dnsrr: none at all.
    Service web2 = svc("web");
    store.update(
        tx ->
            tx.update(
                web2.toBuilder()
                    .setSpec(spec("web", EndpointSpec.ResolutionMode.DNSRR, "front"))
                    .build()));
    allocate();
    assertThat(svc("web").getEndpoint().getVirtualIpsList()).isEmpty();
  }

  @Test
  void aTaskWaitsForItsNetworkWithTheReason() {
    // A network whose subnet cannot be had (it overlaps one allocated meanwhile) stays unallocated.
    network("front", "10.0.1.0/24", "");
    allocate();
    store.update(
        tx ->
            tx.create(
                Network.newBuilder()
                    .setId("clash")
                    .setSpec(
                        NetworkSpec.newBuilder()
                            .setAnnotations(Annotations.newBuilder().setName("clash"))
                            .setIpam(
                                IPAMOptions.newBuilder()
                                    .addConfigs(IPAMConfig.newBuilder().setSubnet("10.0.1.0/25"))))
                    .build()));
    service("web", spec("web", EndpointSpec.ResolutionMode.DNSRR, "clash"));
    String t = tasks("web", 1).get(0);
    allocate();
    assertThat(task(t).getStatus().getState()).isEqualTo(TaskState.NEW);
    assertThat(task(t).getStatus().getMessage()).isEqualTo("network clash not allocated yet");
  }

  @Test
  void manyTasksNeverShareAnAddressAcrossPassesAndFreshAllocators() {
    network("front", "10.0.0.0/22", "");
    service("web", spec("web", EndpointSpec.ResolutionMode.VIP, "front"));
    service("api", spec("api", EndpointSpec.ResolutionMode.VIP, "front"));
    List<String> ids = new ArrayList<>(tasks("web", 250));
    ids.addAll(tasks("api", 250));

    allocate();

    assertThat(ids).allMatch(id -> task(id).getStatus().getState() == TaskState.PENDING);
    List<String> used = addressesOn("front");
    assertThat(used).hasSize(1 + 2 + 500);
    assertThat(new HashSet<>(used)).hasSameSizeAs(used);
  }

  @Test
  void twoAllocatorsDecidingFromOneViewCannotBothCommitAnAddress() {
    network("front", "10.0.1.0/24", "");
    service("web", spec("web", EndpointSpec.ResolutionMode.DNSRR, "front"));
    allocate();
    List<String> ids = tasks("web", 2);
    ClusterSnapshot view = store.view(ClusterSnapshot::read);
    // Two leaders (an old one still deciding, and the new one) attach one task each from one view.
    NetworkAttacher.Attached first =
        (NetworkAttacher.Attached) new OverlayAttacher().begin(view).attach(task(ids.get(0)));
    NetworkAttacher.Attached second =
        (NetworkAttacher.Attached) new OverlayAttacher().begin(view).attach(task(ids.get(1)));
    assertThat(first.task().getNetworks(0).getAddresses(0))
        .isEqualTo(second.task().getNetworks(0).getAddresses(0));

    ChangeWriter.Result r1 = ChangeWriter.apply(store, group(first));
    ChangeWriter.Result r2 = ChangeWriter.apply(store, group(second));

    assertThat(r1.written()).isEqualTo(1);
    assertThat(r2.written()).isZero();
    assertThat(task(ids.get(1)).getNetworksList()).isEmpty();
    // The refused one is decided again from the store and gets another address.
    allocate();
    assertThat(task(ids.get(1)).getNetworks(0).getAddresses(0))
        .isNotEqualTo(task(ids.get(0)).getNetworks(0).getAddresses(0));
  }

  private static Plan group(NetworkAttacher.Attached a) {
    List<io.corral.manager.controller.Change> changes = new ArrayList<>(a.allocations());
    changes.add(new io.corral.manager.controller.Change.Update(a.task()));
    return new Plan.Builder()
        .add(changes.toArray(io.corral.manager.controller.Change[]::new))
        .build();
  }

  @Test
  void anExhaustedNetworkMakesTasksWaitUntilATerminatedTaskFreesAnAddress() {
    // A /29: .1 gateway, .2 the VIP, .3-.6 for tasks.
    network("front", "10.0.1.0/29", "");
    service("web", spec("web", EndpointSpec.ResolutionMode.VIP, "front"));
    List<String> ids = tasks("web", 5);
    allocate();
    List<String> waiting =
        ids.stream().filter(id -> task(id).getStatus().getState() == TaskState.NEW).toList();
    assertThat(waiting).hasSize(1);
    assertThat(task(waiting.get(0)).getStatus().getMessage())
        .isEqualTo("no address left in network front (10.0.1.0/29)");

    String done = ids.get(0);
    String freed = task(done).getNetworks(0).getAddresses(0);
    setState(done, TaskState.RUNNING);
    setState(done, TaskState.FAILED);
    allocate();
    assertThat(task(waiting.get(0)).getStatus().getState()).isEqualTo(TaskState.PENDING);
    assertThat(task(waiting.get(0)).getNetworks(0).getAddresses(0)).isEqualTo(freed);
    Set<String> used = new HashSet<>(addressesOn("front"));
    assertThat(used).hasSize(6);
  }

  @Test
  void tasksOfAServiceWhoseVipCannotBeHadWaitWithTheReason() {
    // A /30 has one address besides the gateway: taken by web's task, none left for api's VIP.
    store.update(
        tx ->
            tx.create(
                Network.newBuilder()
                    .setId("tiny")
                    .setSpec(
                        NetworkSpec.newBuilder()
                            .setAnnotations(Annotations.newBuilder().setName("tiny")))
                    .setDriverState(
                        io.corral.api.Driver.newBuilder()
                            .putOptions(NetworkAllocator.VXLAN_ID_OPTION, "4096"))
                    .setIpam(
                        IPAMOptions.newBuilder()
                            .addConfigs(
                                IPAMConfig.newBuilder()
                                    .setSubnet("10.0.9.0/30")
                                    .setGateway("10.0.9.1")))
                    .build()));
    service("web", spec("web", EndpointSpec.ResolutionMode.DNSRR, "tiny"));
    tasks("web", 1);
    allocate();
    service("api", spec("api", EndpointSpec.ResolutionMode.VIP, "tiny"));
    String t = tasks("api", 1).get(0);
    allocate();
    assertThat(task(t).getStatus().getState()).isEqualTo(TaskState.NEW);
    assertThat(task(t).getStatus().getMessage())
        .isEqualTo("no address left in network tiny (10.0.9.0/30)");
  }

  @Test
  void aNetworkPendingDeletionGoesOnceNoTaskHoldsAnAddressOnIt() {
    network("front", "10.0.1.0/24", "");
    service("web", spec("web", EndpointSpec.ResolutionMode.DNSRR, "front"));
    String t = tasks("web", 1).get(0);
    allocate();
    store.update(tx -> tx.delete(ObjectKind.SERVICE, "web"));
    Network n = net("front");
    store.update(tx -> tx.update(n.toBuilder().setPendingDelete(true).build()));

    allocate();
    assertThat(exists("front")).isTrue();

    setState(t, TaskState.SHUTDOWN);
    allocate();
    assertThat(exists("front")).isFalse();
  }
}
