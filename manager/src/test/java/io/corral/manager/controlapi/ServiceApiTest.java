package io.corral.manager.controlapi;

import static io.corral.manager.controlapi.ServiceSpecValidatorTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.Annotations;
import io.corral.api.CreateServiceRequest;
import io.corral.api.GetServiceRequest;
import io.corral.api.GlobalService;
import io.corral.api.ListServicesRequest;
import io.corral.api.Network;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.NetworkSpec;
import io.corral.api.RemoveServiceRequest;
import io.corral.api.ReplicatedJob;
import io.corral.api.ReplicatedService;
import io.corral.api.SecretReference;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.api.UpdateConfig;
import io.corral.api.UpdateServiceRequest;
import io.corral.api.UpdateStatus;
import io.corral.api.Version;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ServiceApiTest {

  private final InMemoryStore store = new InMemoryStore();
  private final Clock clock = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
  private final ServiceApi api = new ServiceApi(store, clock);

  private Service create(ServiceSpec.Builder spec) {
    return api.create(CreateServiceRequest.newBuilder().setSpec(spec).build());
  }

  private Service get(String ref) {
    return api.get(GetServiceRequest.newBuilder().setServiceId(ref).build());
  }

  private Service update(Service s, ServiceSpec spec) {
    return api.update(
        UpdateServiceRequest.newBuilder()
            .setServiceId(s.getId())
            .setServiceVersion(Version.newBuilder().setIndex(s.getMeta().getVersion()))
            .setSpec(spec)
            .build());
  }

  private Service rollback(Service s) {
    return api.update(
        UpdateServiceRequest.newBuilder()
            .setServiceId(s.getId())
            .setRollback(UpdateServiceRequest.Rollback.PREVIOUS)
            .build());
  }

  private static ServiceSpec replicas(Service s, long n) {
    return s.getSpec().toBuilder()
        .setReplicated(ReplicatedService.newBuilder().setReplicas(n))
        .build();
  }

  private static ServiceSpec image(Service s, String image) {
    ServiceSpec.Builder b = s.getSpec().toBuilder();
    b.getTaskBuilder().getContainerBuilder().setImage(image);
    return b.build();
  }

  private static void fails(ThrowingCallable call, Status.Code code, String words) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(words);
            });
  }

  private Task task(String id, Service s, long slot, TaskState desired, TaskState state) {
    Task t =
        Task.newBuilder()
            .setId(id)
            .setServiceId(s.getId())
            .setSlot(slot)
            .setDesiredState(desired)
            .setSpecVersion(s.getSpecVersion())
            .setAnnotations(
                Annotations.newBuilder()
                    .setName(s.getSpec().getAnnotations().getName() + "." + slot + "." + id))
            .setStatus(TaskStatus.newBuilder().setState(state))
            .build();
    store.update(tx -> tx.create(t));
    return t;
  }

  @Test
  void createStoresTheServiceWithAnIdFirstSpecVersionAndDefaultMode() {
    Service s = create(spec("web"));
    assertThat(s.getId()).hasSize(25).matches("[a-z0-9]+");
    assertThat(s.getMeta().getVersion()).isPositive();
    assertThat(s.getMeta().hasCreatedAt()).isTrue();
    assertThat(s.getSpecVersion().getIndex()).isEqualTo(1);
    assertThat(s.getSpec().getReplicated().getReplicas()).isEqualTo(1);
    assertThat(s.hasJobStatus()).isFalse();
    assertThat(get(s.getId())).isEqualTo(s);
  }

  @Test
  void aJobStartsItsFirstIteration() {
    Service job =
        create(spec("migrate").setReplicatedJob(ReplicatedJob.newBuilder().setTotalCompletions(3)));
    assertThat(job.getJobStatus().getJobIteration().getIndex()).isZero();
    assertThat(job.getJobStatus().getLastExecution().getSeconds())
        .isEqualTo(clock.instant().getEpochSecond());
  }

  @Test
  void namesAreUniqueIgnoringCase() {
    create(spec("web"));
    fails(() -> create(spec("web")), Status.Code.ALREADY_EXISTS, "service web already exists");
    fails(() -> create(spec("WEB")), Status.Code.ALREADY_EXISTS, "service WEB already exists");
    assertThat(api.list(ListServicesRequest.getDefaultInstance())).hasSize(1);
  }

  @Test
  void anInvalidSpecChangesNothing() {
    fails(
        () -> create(spec("web").setReplicated(ReplicatedService.newBuilder().setReplicas(-2))),
        Status.Code.INVALID_ARGUMENT,
        "spec.mode.replicated.replicas: must be between 0 and");
    fails(
        () -> api.create(CreateServiceRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "spec:");
    List<Service> stored = store.view(tx -> tx.list(ObjectKind.SERVICE));
    assertThat(stored).isEmpty();
  }

  @Test
  void referencesAreResolvedOrRefused() {
    store.update(
        tx ->
            tx.create(
                Network.newBuilder()
                    .setId("net1")
                    .setSpec(
                        NetworkSpec.newBuilder()
                            .setAnnotations(Annotations.newBuilder().setName("backend")))
                    .build()));
    ServiceSpec.Builder withNet = spec("web");
    withNet.getTaskBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("backend"));
    assertThat(create(withNet).getSpec().getTask().getNetworks(0).getTarget()).isEqualTo("net1");

    ServiceSpec.Builder missingNet = spec("api");
    missingNet
        .getTaskBuilder()
        .addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("frontend"));
    fails(
        () -> create(missingNet),
        Status.Code.INVALID_ARGUMENT,
        "spec.task_template.networks[0].target: network frontend not found");
    ServiceSpec.Builder missingSecret = spec("db");
    missingSecret
        .getTaskBuilder()
        .getContainerBuilder()
        .addSecrets(SecretReference.newBuilder().setSecretId("s1").setSecretName("pw"));
    fails(
        () -> create(missingSecret),
        Status.Code.INVALID_ARGUMENT,
        "spec.task_template.container_spec.secrets[0]: secret pw (s1) not found");
  }

  @Test
  void serviceLevelNetworksMoveIntoTheTaskTemplateEachOnce() {
    store.update(
        tx -> {
          for (String n : List.of("front", "back")) {
            tx.create(
                Network.newBuilder()
                    .setId(n + "-id")
                    .setSpec(
                        NetworkSpec.newBuilder()
                            .setAnnotations(Annotations.newBuilder().setName(n)))
                    .build());
          }
        });
    ServiceSpec.Builder old = spec("web");
    old.addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("front").addAliases("w"));
    Service web = create(old);
    assertThat(web.getSpec().getNetworksList()).isEmpty();
    assertThat(web.getSpec().getTask().getNetworksList())
        .containsExactly(
            NetworkAttachmentConfig.newBuilder().setTarget("front-id").addAliases("w").build());

    // The template wins when both are given.
    ServiceSpec.Builder both = spec("api");
    both.addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("front"));
    both.getTaskBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("back"));
    assertThat(create(both).getSpec().getTask().getNetworksList())
        .extracting(NetworkAttachmentConfig::getTarget)
        .containsExactly("back-id");

    ServiceSpec.Builder twice = spec("db");
    twice.getTaskBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("front"));
    twice.getTaskBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("front-id"));
    fails(
        () -> create(twice),
        Status.Code.INVALID_ARGUMENT,
        "spec.task_template.networks[1].target: network front is attached twice");

    // A network change is a new spec version: tasks are updated.
    ServiceSpec.Builder moved = web.getSpec().toBuilder();
    moved.getTaskBuilder().setNetworks(0, NetworkAttachmentConfig.newBuilder().setTarget("back"));
    Service updated = update(web, moved.build());
    assertThat(updated.getSpecVersion().getIndex()).isGreaterThan(web.getSpecVersion().getIndex());
  }

  @Test
  void aNetworkIsNamedByIdNameOrUniqueIdPrefixAsDockersDaemonDoes() {
    store.update(
        tx -> {
          tx.create(
              Network.newBuilder()
                  .setId("net1aaaa")
                  .setSpec(
                      NetworkSpec.newBuilder()
                          .setAnnotations(Annotations.newBuilder().setName("backend")))
                  .build());
          tx.create(
              Network.newBuilder()
                  .setId("net1bbbb")
                  .setSpec(
                      NetworkSpec.newBuilder()
                          .setAnnotations(Annotations.newBuilder().setName("frontend")))
                  .build());
        });
    ServiceSpec.Builder byPrefix = spec("web");
    byPrefix.getTaskBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("net1b"));
    assertThat(create(byPrefix).getSpec().getTask().getNetworks(0).getTarget())
        .isEqualTo("net1bbbb");

    ServiceSpec.Builder ambiguous = spec("api");
    ambiguous.getTaskBuilder().addNetworks(NetworkAttachmentConfig.newBuilder().setTarget("net1"));
    fails(
        () -> create(ambiguous),
        Status.Code.INVALID_ARGUMENT,
        "spec.task_template.networks[0].target: network net1 is ambiguous (2 matches found)");
  }

  @Test
  void servicesAreFoundByIdNameOrUniqueIdPrefix() {
    Service web = create(spec("web"));
    assertThat(get("web").getId()).isEqualTo(web.getId());
    assertThat(get(web.getId().substring(0, 6)).getId()).isEqualTo(web.getId());
    fails(() -> get("nope"), Status.Code.NOT_FOUND, "service nope not found");
    fails(() -> get(""), Status.Code.INVALID_ARGUMENT, "service_id");
  }

  @Test
  void insertDefaultsFillsWhatInspectShowsWithoutChangingTheStoredSpec() {
    ServiceSpec.Builder b = spec("web");
    b.setUpdate(
        UpdateConfig.newBuilder().setParallelism(0).setOrder(UpdateConfig.UpdateOrder.START_FIRST));
    Service s = create(b);
    Service shown =
        api.get(
            GetServiceRequest.newBuilder().setServiceId(s.getId()).setInsertDefaults(true).build());
    assertThat(shown.getSpec().getTask().getRestart().getCondition().name()).isEqualTo("ANY");
    assertThat(shown.getSpec().getTask().getRestart().getDelay().getSeconds()).isEqualTo(5);
    assertThat(shown.getSpec().getTask().getContainer().getStopGracePeriod().getSeconds())
        .isEqualTo(10);
    // A given update config keeps its values; only the unset monitor is filled.
    assertThat(shown.getSpec().getUpdate().getParallelism()).isZero();
    assertThat(shown.getSpec().getUpdate().getOrder())
        .isEqualTo(UpdateConfig.UpdateOrder.START_FIRST);
    assertThat(shown.getSpec().getUpdate().getMonitor().getSeconds()).isEqualTo(5);
    // An absent rollback config is all defaults.
    assertThat(shown.getSpec().getRollback().getParallelism()).isEqualTo(1);
    assertThat(shown.getSpec().getRollback().getFailureAction())
        .isEqualTo(UpdateConfig.FailureAction.PAUSE);
    assertThat(get(s.getId()).getSpec().getTask().hasRestart()).isFalse();
  }

  @Test
  void listFiltersByNameNamePrefixIdPrefixAndLabels() {
    Service web =
        create(
            spec("web")
                .setAnnotations(
                    Annotations.newBuilder()
                        .setName("web")
                        .putLabels("com.docker.stack.namespace", "shop")
                        .putLabels("tier", "front")));
    Service api2 =
        create(
            spec("api")
                .setAnnotations(
                    Annotations.newBuilder()
                        .setName("api")
                        .putLabels("com.docker.stack.namespace", "shop")));
    create(spec("webhook"));
    assertThat(names(ListServicesRequest.Filters.newBuilder().addNames("web")))
        .containsExactly("web");
    assertThat(names(ListServicesRequest.Filters.newBuilder().addNamePrefixes("web")))
        .containsExactlyInAnyOrder("web", "webhook");
    assertThat(
            names(
                ListServicesRequest.Filters.newBuilder()
                    .putLabels("com.docker.stack.namespace", "")))
        .containsExactlyInAnyOrder("web", "api");
    assertThat(
            names(
                ListServicesRequest.Filters.newBuilder()
                    .putLabels("com.docker.stack.namespace", "shop")
                    .putLabels("tier", "front")))
        .containsExactly("web");
    assertThat(
            names(
                ListServicesRequest.Filters.newBuilder()
                    .addIdPrefixes(api2.getId().substring(0, 10))
                    .addIdPrefixes(web.getId())))
        .containsExactlyInAnyOrder("web", "api");
    assertThat(
            names(ListServicesRequest.Filters.newBuilder().addNames("web").addNamePrefixes("api")))
        .isEmpty();
  }

  private List<String> names(ListServicesRequest.Filters.Builder f) {
    return api.list(ListServicesRequest.newBuilder().setFilters(f).build()).stream()
        .map(s -> s.getSpec().getAnnotations().getName())
        .toList();
  }

  @Test
  void aScaleKeepsTheSpecVersionAndAnImageChangeBumpsIt() {
    Service s = create(spec("web"));
    Service scaled = update(s, replicas(s, 5));
    assertThat(scaled.getSpec().getReplicated().getReplicas()).isEqualTo(5);
    assertThat(scaled.getSpecVersion().getIndex()).isEqualTo(1);
    assertThat(scaled.getPreviousSpec()).isEqualTo(s.getSpec());
    assertThat(scaled.getMeta().getVersion()).isGreaterThan(s.getMeta().getVersion());

    Service v2 = update(scaled, image(scaled, "app:2"));
    assertThat(v2.getSpecVersion().getIndex()).isEqualTo(2);
    assertThat(v2.getPreviousSpecVersion().getIndex()).isEqualTo(1);
    assertThat(v2.getPreviousSpec().getTask().getContainer().getImage()).isEqualTo("app:1");
  }

  @Test
  void anUpdateNamingAnOldVersionIsOutOfSequence() {
    Service s = create(spec("web"));
    update(s, replicas(s, 3));
    fails(
        () -> update(s, replicas(s, 4)),
        Status.Code.FAILED_PRECONDITION,
        "update out of sequence: service web");
    assertThat(get("web").getSpec().getReplicated().getReplicas()).isEqualTo(3);
  }

  @Test
  void modeChangesAndRenamesAreRefused() {
    Service s = create(spec("web"));
    fails(
        () ->
            update(
                s, s.getSpec().toBuilder().setGlobal(GlobalService.getDefaultInstance()).build()),
        Status.Code.INVALID_ARGUMENT,
        "spec.mode: service mode change is not allowed");
    fails(
        () ->
            update(
                s,
                s.getSpec().toBuilder()
                    .setAnnotations(Annotations.newBuilder().setName("www"))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "spec.name: renaming services is not supported");
    fails(
        () -> update(s, replicas(s, -1)),
        Status.Code.INVALID_ARGUMENT,
        "spec.mode.replicated.replicas");
    fails(
        () ->
            api.update(
                UpdateServiceRequest.newBuilder()
                    .setServiceId("ghost")
                    .setSpec(s.getSpec())
                    .build()),
        Status.Code.NOT_FOUND,
        "service ghost not found");
    assertThat(get("web")).isEqualTo(s);
  }

  @Test
  void rollbackSwapsBackToThePreviousSpecAndVersion() {
    Service s = create(spec("web"));
    fails(
        () -> rollback(s),
        Status.Code.FAILED_PRECONDITION,
        "service web does not have a previous spec");
    Service v2 = update(s, image(s, "app:2"));
    Service back = rollback(v2);
    assertThat(back.getSpec().getTask().getContainer().getImage()).isEqualTo("app:1");
    assertThat(back.getSpecVersion().getIndex()).isEqualTo(1);
    assertThat(back.getPreviousSpec().getTask().getContainer().getImage()).isEqualTo("app:2");
    assertThat(back.getPreviousSpecVersion().getIndex()).isEqualTo(2);
    assertThat(back.getUpdateStatus().getState())
        .isEqualTo(UpdateStatus.UpdateState.ROLLBACK_STARTED);
    // The next change gets a version no task has carried, not 2 again.
    Service v3 = update(back, image(back, "app:3"));
    assertThat(v3.getSpecVersion().getIndex()).isEqualTo(3);
    assertThat(v3.hasUpdateStatus()).isFalse();
  }

  @Test
  void updatingAJobRunsItAgain() {
    Service job =
        create(spec("migrate").setReplicatedJob(ReplicatedJob.newBuilder().setTotalCompletions(3)));
    Service again = update(job, job.getSpec());
    assertThat(again.getJobStatus().getJobIteration().getIndex()).isEqualTo(1);
  }

  @Test
  void removeDeletesTheServiceAndTellsItsLiveTasksToGo() {
    Service s = create(spec("web"));
    task("t1", s, 1, TaskState.RUNNING, TaskState.RUNNING);
    task("t2", s, 2, TaskState.RUNNING, TaskState.PENDING);
    task("t3", s, 1, TaskState.SHUTDOWN, TaskState.FAILED);
    api.remove(RemoveServiceRequest.newBuilder().setServiceId("web").build());
    boolean stillThere = store.view(tx -> tx.get(ObjectKind.SERVICE, s.getId()).isPresent());
    assertThat(stillThere).isFalse();
    Task running = store.view(tx -> tx.get(ObjectKind.TASK, "t1")).orElseThrow();
    assertThat(running.getDesiredState()).isEqualTo(TaskState.REMOVE);
    assertThat(running.getStatus().getState()).isEqualTo(TaskState.RUNNING);
    // Never reached an agent: nothing will report on it, so it is marked stopped at once.
    Task pending = store.view(tx -> tx.get(ObjectKind.TASK, "t2")).orElseThrow();
    assertThat(pending.getDesiredState()).isEqualTo(TaskState.REMOVE);
    assertThat(pending.getStatus().getState()).isEqualTo(TaskState.SHUTDOWN);
    // History is the reaper's.
    assertThat(store.view(tx -> tx.get(ObjectKind.TASK, "t3")).orElseThrow().getDesiredState())
        .isEqualTo(TaskState.SHUTDOWN);
    fails(
        () -> api.remove(RemoveServiceRequest.newBuilder().setServiceId("web").build()),
        Status.Code.NOT_FOUND,
        "service web not found");
    // The name is free again at once.
    create(spec("web"));
  }
}
