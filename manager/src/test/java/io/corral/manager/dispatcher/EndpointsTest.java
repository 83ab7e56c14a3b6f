package io.corral.manager.dispatcher;

import static io.corral.manager.dispatcher.NetFixtures.task;
import static io.corral.manager.dispatcher.NetFixtures.vipService;
import static io.corral.manager.dispatcher.NetFixtures.withDesired;
import static io.corral.manager.dispatcher.NetFixtures.withHealth;
import static io.corral.manager.dispatcher.NetFixtures.withState;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.EndpointSpec;
import io.corral.api.Service;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import io.corral.api.TaskEndpoint;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a service on a network looks like to the nodes attached to it. */
class EndpointsTest {

  private static final Service WEB = vipService("svc-web", "web", "netA", "10.0.1.2/24");
  private static final Map<String, String> ADDRS = Map.of("n1", "192.168.0.1", "n2", "192.168.0.2");

  private static ServiceEndpoints of(Service s, String network, List<Task> tasks) {
    return Endpoints.of(s, network, tasks, id -> ADDRS.getOrDefault(id, "")).orElseThrow();
  }

  private static List<String> ids(List<TaskEndpoint> endpoints) {
    return endpoints.stream().map(TaskEndpoint::getTaskId).toList();
  }

  @Test
  void backendsAreRunningHealthyTasksStillWantedAndAttachedAreAllLiveOnes() {
    Task plain = task("t1", WEB, 1, "n1", "netA", "10.0.1.5/24");
    Task healthy =
        withHealth(task("t2", WEB, 2, "n2", "netA", "10.0.1.6/24"), TaskStatus.Health.HEALTHY);
    Task unhealthy =
        withHealth(task("t3", WEB, 3, "n1", "netA", "10.0.1.7/24"), TaskStatus.Health.UNHEALTHY);
    Task starting = withState(task("t4", WEB, 4, "n2", "netA", "10.0.1.8/24"), TaskState.STARTING);
    Task stopping =
        withDesired(task("t5", WEB, 5, "n1", "netA", "10.0.1.9/24"), TaskState.SHUTDOWN);
    Task failed = withState(task("t6", WEB, 6, "n2", "netA", "10.0.1.10/24"), TaskState.FAILED);
    Task pending = withState(task("t7", WEB, 7, "", "netA", "10.0.1.11/24"), TaskState.PENDING);

    ServiceEndpoints e =
        of(WEB, "netA", List.of(failed, stopping, starting, unhealthy, healthy, plain, pending));

    assertThat(ids(e.getTasksList())).containsExactly("t1", "t2");
    assertThat(ids(e.getAttachedList())).containsExactly("t1", "t2", "t3", "t4", "t5");
  }

  @Test
  void theEntryCarriesNameModeVipAliasesPortsAndEachTasksNodeAndName() {
    ServiceEndpoints e = of(WEB, "netA", List.of(task("t1", WEB, 3, "n2", "netA", "10.0.1.5/24")));

    assertThat(e.getServiceId()).isEqualTo("svc-web");
    assertThat(e.getServiceName()).isEqualTo("web");
    assertThat(e.getNetworkId()).isEqualTo("netA");
    assertThat(e.getMode()).isEqualTo(EndpointSpec.ResolutionMode.VIP);
    assertThat(e.getVirtualIp()).isEqualTo("10.0.1.2/24");
    assertThat(e.getAliasesList()).containsExactly("web-alias");
    assertThat(e.getPortsList()).extracting(p -> p.getTargetPort()).containsExactly(80);
    TaskEndpoint t = e.getTasks(0);
    assertThat(t.getNodeId()).isEqualTo("n2");
    assertThat(t.getNodeAddr()).isEqualTo("192.168.0.2");
    assertThat(t.getAddress()).isEqualTo("10.0.1.5/24");
    assertThat(t.getSlot()).isEqualTo(3);
    assertThat(t.getName()).isEqualTo("web.3.t1");
  }

  @Test
  void aGlobalTaskWithoutANameIsNamedAfterItsNode() {
    Task global =
        task("t1", WEB, 0, "n1", "netA", "10.0.1.5/24").toBuilder().clearAnnotations().build();
    assertThat(of(WEB, "netA", List.of(global)).getTasks(0).getName()).isEqualTo("web.n1.t1");
  }

  @Test
  void aServiceIsOnlyOnTheNetworksOfItsTemplateVipsAndLiveTasks() {
    Task elsewhere = task("t1", WEB, 1, "n1", "netB", "10.0.2.5/24");
    assertThat(Endpoints.networksOf(WEB, List.of(elsewhere)))
        .containsExactlyInAnyOrder("netA", "netB");
    assertThat(Endpoints.of(WEB, "netC", List.of(elsewhere), id -> "")).isEmpty();
    Task ended = withState(elsewhere, TaskState.COMPLETE);
    assertThat(Endpoints.networksOf(WEB, List.of(ended))).containsExactly("netA");
  }

  @Test
  void aDnsrrServiceHasNoVirtualIp() {
    Service rr =
        WEB.toBuilder()
            .setSpec(
                WEB.getSpec().toBuilder()
                    .setEndpoint(
                        EndpointSpec.newBuilder().setMode(EndpointSpec.ResolutionMode.DNSRR)))
            .setEndpoint(WEB.getEndpoint().toBuilder().clearVirtualIps())
            .build();
    ServiceEndpoints e = of(rr, "netA", List.of(task("t1", rr, 1, "n1", "netA", "10.0.1.5/24")));
    assertThat(e.getMode()).isEqualTo(EndpointSpec.ResolutionMode.DNSRR);
    assertThat(e.getVirtualIp()).isEmpty();
    assertThat(ids(e.getTasksList())).containsExactly("t1");
  }

  @Test
  void aTaskWithoutNetworksAttachesNothing() {
    assertThat(Endpoints.attachedNetworks(task("t1", WEB, 1, "n1", null, null))).isEmpty();
    assertThat(
            Endpoints.isBeingStopped(
                withDesired(task("t1", WEB, 1, "n1", null, null), TaskState.SHUTDOWN)))
        .isFalse();
    assertThat(
            Endpoints.isBeingStopped(
                withDesired(task("t1", WEB, 1, "n1", "netA", "10.0.1.5/24"), TaskState.SHUTDOWN)))
        .isTrue();
  }
}
