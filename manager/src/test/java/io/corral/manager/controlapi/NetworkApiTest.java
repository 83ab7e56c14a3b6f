package io.corral.manager.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.Annotations;
import io.corral.api.CreateNetworkRequest;
import io.corral.api.CreateServiceRequest;
import io.corral.api.Driver;
import io.corral.api.GetNetworkRequest;
import io.corral.api.IPAMConfig;
import io.corral.api.IPAMOptions;
import io.corral.api.ListNetworksRequest;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.NetworkSpec;
import io.corral.api.RemoveNetworkRequest;
import io.corral.api.RemoveServiceRequest;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.manager.allocator.NetworkAllocator;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NetworkApiTest {

  private final InMemoryStore store = new InMemoryStore();
  private final Clock clock = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
  private final NetworkApi api = new NetworkApi(store);
  private final ServiceApi services = new ServiceApi(store, clock);

  @AfterEach
  void close() {
    store.close();
  }

  private static NetworkSpec.Builder spec(String name) {
    return NetworkSpec.newBuilder().setAnnotations(Annotations.newBuilder().setName(name));
  }

  private static NetworkSpec.Builder spec(
      String name, String subnet, String gateway, String range) {
    return spec(name)
        .setIpam(
            IPAMOptions.newBuilder()
                .addConfigs(
                    IPAMConfig.newBuilder().setSubnet(subnet).setGateway(gateway).setRange(range)));
  }

  private Network create(NetworkSpec.Builder spec) {
    return api.create(CreateNetworkRequest.newBuilder().setSpec(spec).build());
  }

  private Optional<Network> stored(String id) {
    return store.view(tx -> tx.get(ObjectKind.NETWORK, id));
  }

  private void remove(String ref) {
    api.remove(RemoveNetworkRequest.newBuilder().setNetworkId(ref).build());
  }

  private Service service(String name, String... networks) {
    ServiceSpec.Builder s = ServiceSpecValidatorTest.spec(name);
    for (String n : networks) {
      s.getTaskBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget(n));
    }
    return services.create(CreateServiceRequest.newBuilder().setSpec(s).build());
  }

  private static void fails(ThrowingCallable call, Status.Code code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).startsWith(message);
            });
  }

  @Test
  void aNetworkIsStoredWithTheOverlayDriverItsLabelsAndWhatItAsked() {
    Network n =
        create(
            spec("front", "10.0.9.0/24", "10.0.9.254", "10.0.9.128/25")
                .setAttachable(true)
                .setInternal(true)
                .setAnnotations(
                    Annotations.newBuilder().setName("front").putLabels("tier", "web")));
    Network s = stored(n.getId()).orElseThrow();
    assertThat(s.getSpec().getDriverConfig().getName()).isEqualTo("overlay");
    assertThat(s.getSpec().getAnnotations().getLabelsMap()).containsEntry("tier", "web");
    assertThat(s.getSpec().getInternal()).isTrue();
    assertThat(s.getSpec().getAttachable()).isTrue();
    assertThat(s.getSpec().getIpam().getConfigs(0).getRange()).isEqualTo("10.0.9.128/25");
    assertThat(s.getSpec().getIpam().getConfigs(0).getFamily())
        .isEqualTo(IPAMConfig.AddressFamily.IPV4);
    // The allocator, not the API, gives it its VNI and subnet.
    assertThat(NetworkAllocator.allocated(s)).isFalse();
  }

  @Test
  void badSpecsAreRefusedWithDockersWordsAndTheFlagNamed() {
    Status.Code bad = Status.Code.INVALID_ARGUMENT;
    fails(() -> create(spec("")), bad, "a network needs a name");
    fails(() -> create(spec("-front")), bad, "invalid network name \"-front\"");
    fails(() -> create(spec("fr ont")), bad, "invalid network name \"fr ont\"");
    fails(
        () -> create(spec("front").setDriverConfig(Driver.newBuilder().setName("bridge"))),
        bad,
        "unknown driver \"bridge\": swarm mode networks use the overlay driver");
    fails(() -> create(spec("front", "10.0.1.0/33", "", "")), bad, "--subnet: invalid CIDR");
    fails(
        () -> create(spec("front", "10.0.1.1/24", "", "")), bad, "--subnet: 10.0.1.1/24 has host");
    fails(() -> create(spec("front", "10.0.0.0/7", "", "")), bad, "--subnet: 10.0.0.0/7 must have");
    fails(
        () -> create(spec("front", "10.0.1.0/30", "", "")), bad, "--subnet: 10.0.1.0/30 must have");
    fails(
        () -> create(spec("front", "10.0.1.0/24", "10.0.2.1", "")),
        bad,
        "--gateway: 10.0.2.1 is not in subnet 10.0.1.0/24");
    fails(
        () -> create(spec("front", "10.0.1.0/24", "10.0.1.255", "")),
        bad,
        "--gateway: 10.0.1.255 is the broadcast address of 10.0.1.0/24");
    fails(
        () -> create(spec("front", "10.0.1.0/24", "10.0.1.0", "")),
        bad,
        "--gateway: 10.0.1.0 is the network address");
    fails(
        () -> create(spec("front", "10.0.1.0/24", "", "10.0.2.0/25")),
        bad,
        "--ip-range: 10.0.2.0/25 is not inside subnet 10.0.1.0/24");
    fails(() -> create(spec("front", "", "10.0.1.1", "")), bad, "--gateway: needs --subnet");
    assertThat(list(ListNetworksRequest.Filters.newBuilder())).isEmpty();
  }

  @Test
  void namesAreUniqueAndSubnetsMustNotOverlapAnotherNetworks() {
    create(spec("front", "10.0.1.0/24", "", ""));
    fails(
        () -> create(spec("front")),
        Status.Code.ALREADY_EXISTS,
        "network with name front already exists");
    fails(
        () -> create(spec("back", "10.0.0.0/16", "", "")),
        Status.Code.INVALID_ARGUMENT,
        "--subnet: 10.0.0.0/16 overlaps network \"front\" (10.0.1.0/24)");
    // An allocated subnet counts as much as a requested one.
    Network pooled = create(spec("pooled"));
    Network p = stored(pooled.getId()).orElseThrow();
    store.update(
        tx ->
            tx.update(
                p.toBuilder()
                    .setIpam(
                        IPAMOptions.newBuilder()
                            .addConfigs(IPAMConfig.newBuilder().setSubnet("10.0.2.0/24")))
                    .build()));
    fails(
        () -> create(spec("back", "10.0.2.128/25", "", "")),
        Status.Code.INVALID_ARGUMENT,
        "--subnet: 10.0.2.128/25 overlaps network \"pooled\" (10.0.2.0/24)");
  }

  @Test
  void networksAreFoundByIdNameOrPrefixAndListedWithFilters() {
    Network front = create(spec("front"));
    create(
        spec("back").setAnnotations(Annotations.newBuilder().setName("back").putLabels("a", "1")));
    assertThat(api.get(GetNetworkRequest.newBuilder().setName("front").build()).getId())
        .isEqualTo(front.getId());
    assertThat(
            api.get(
                    GetNetworkRequest.newBuilder()
                        .setNetworkId(front.getId().substring(0, 6))
                        .build())
                .getId())
        .isEqualTo(front.getId());
    fails(
        () -> api.get(GetNetworkRequest.newBuilder().setName("nope").build()),
        Status.Code.NOT_FOUND,
        "network nope not found");
    ListNetworksRequest.Filters.Builder f = ListNetworksRequest.Filters.newBuilder();
    assertThat(list(f.clone().addNames("front"))).containsExactly("front");
    assertThat(list(f.clone().addNamePrefixes("ba"))).containsExactly("back");
    assertThat(list(f.clone().putLabels("a", ""))).containsExactly("back");
    assertThat(list(f.clone().addIdPrefixes(front.getId()))).containsExactly("front");
    assertThat(list(f.clone())).containsExactlyInAnyOrder("front", "back");
  }

  private java.util.List<String> list(ListNetworksRequest.Filters.Builder f) {
    return api.list(ListNetworksRequest.newBuilder().setFilters(f).build()).stream()
        .map(n -> n.getSpec().getAnnotations().getName())
        .toList();
  }

  @Test
  void removalIsRefusedWhileServicesUseTheNetworkAndDeferredWhileTasksHoldAddresses() {
    Network front = create(spec("front"));
    Service web = service("web", "front");
    service("api", "front");
    fails(
        () -> remove("front"),
        Status.Code.FAILED_PRECONDITION,
        "network front is in use by services api, web");
    services.remove(RemoveServiceRequest.newBuilder().setServiceId("api").build());
    fails(
        () -> remove("front"),
        Status.Code.FAILED_PRECONDITION,
        "network front is in use by service web");

    // web's task still runs with an address when web is removed.
    store.update(
        tx ->
            tx.create(
                Task.newBuilder()
                    .setId("t1")
                    .setServiceId(web.getId())
                    .setDesiredState(TaskState.RUNNING)
                    .setStatus(TaskStatus.newBuilder().setState(TaskState.RUNNING))
                    .addNetworks(
                        NetworkAttachment.newBuilder()
                            .setNetwork(front)
                            .addAddresses("10.0.0.3/24"))
                    .build()));
    services.remove(RemoveServiceRequest.newBuilder().setServiceId("web").build());
    remove("front");
    assertThat(stored(front.getId()).orElseThrow().getPendingDelete()).isTrue();
    // A new service cannot attach to it; removing it again is no error.
    fails(
        () -> service("db", front.getId()),
        Status.Code.INVALID_ARGUMENT,
        "spec.task_template.networks[0].target: network front is being removed");
    remove(front.getId());

    Network idle = create(spec("idle"));
    remove("idle");
    assertThat(stored(idle.getId())).isEmpty();
    fails(() -> remove("idle"), Status.Code.NOT_FOUND, "network idle not found");
  }
}
