package io.corral.manager.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import io.corral.api.Annotations;
import io.corral.api.ContainerSpec;
import io.corral.api.EndpointSpec;
import io.corral.api.GlobalJob;
import io.corral.api.GlobalService;
import io.corral.api.Mount;
import io.corral.api.Placement;
import io.corral.api.PlacementPreference;
import io.corral.api.PortConfig;
import io.corral.api.ReplicatedJob;
import io.corral.api.ReplicatedService;
import io.corral.api.ResourceRequirements;
import io.corral.api.Resources;
import io.corral.api.RestartPolicy;
import io.corral.api.ServiceSpec;
import io.corral.api.SpreadOver;
import io.corral.api.TaskSpec;
import io.corral.api.UpdateConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ServiceSpecValidatorTest {

  static ServiceSpec.Builder spec(String name) {
    return ServiceSpec.newBuilder()
        .setAnnotations(Annotations.newBuilder().setName(name))
        .setTask(TaskSpec.newBuilder().setContainer(ContainerSpec.newBuilder().setImage("app:1")));
  }

  private static ServiceSpec with(Consumer<ServiceSpec.Builder> change) {
    ServiceSpec.Builder b = spec("web");
    change.accept(b);
    return b.build();
  }

  /** Asserts an INVALID_ARGUMENT whose message starts with the field and contains the words. */
  private static void refused(ServiceSpec spec, String field, String words) {
    assertThatThrownBy(() -> ServiceSpecValidator.validate(spec))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith(field + ": ").contains(words);
            });
  }

  private static Duration seconds(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  @Test
  void aMinimalSpecBecomesReplicatedWithOneReplica() {
    ServiceSpec out = ServiceSpecValidator.validate(spec("web").build());
    assertThat(out.getReplicated().getReplicas()).isEqualTo(1);
    ServiceSpec global =
        ServiceSpecValidator.validate(
            spec("web").setGlobal(GlobalService.getDefaultInstance()).build());
    assertThat(global.hasGlobal()).isTrue();
  }

  @Test
  void theNameIsRequiredAndADnsLabel() {
    refused(spec("").build(), "spec.name", "needs a name");
    refused(spec("web server").build(), "spec.name", "invalid name \"web server\"");
    refused(spec("-web").build(), "spec.name", "invalid name");
    refused(spec("web-").build(), "spec.name", "invalid name");
    refused(spec("a".repeat(64)).build(), "spec.name", "invalid name");
    // Stacks name their services "stack_service".
    ServiceSpecValidator.validate(spec("mystack_web-1").build());
    ServiceSpecValidator.validate(spec("a".repeat(63)).build());
  }

  @Test
  void countsMustFit() {
    refused(
        with(b -> b.setReplicated(ReplicatedService.newBuilder().setReplicas(-1))),
        "spec.mode.replicated.replicas",
        "-1 (18446744073709551615 unsigned)");
    refused(
        with(
            b ->
                b.setReplicated(
                    ReplicatedService.newBuilder()
                        .setReplicas(ServiceSpecValidator.MAX_REPLICAS + 1))),
        "spec.mode.replicated.replicas",
        "between 0 and 100000");
    refused(
        with(b -> b.setReplicatedJob(ReplicatedJob.newBuilder().setMaxConcurrent(-3))),
        "spec.mode.replicated_job.max_concurrent",
        "between 0 and");
    refused(
        with(b -> b.setReplicatedJob(ReplicatedJob.newBuilder().setTotalCompletions(-3))),
        "spec.mode.replicated_job.total_completions",
        "between 0 and");
    ServiceSpecValidator.validate(
        with(b -> b.setReplicated(ReplicatedService.newBuilder().setReplicas(0))));
  }

  @Test
  void theImageIsRequiredAndWellFormed() {
    refused(
        with(b -> b.getTaskBuilder().clearContainer()),
        "spec.task_template.container_spec",
        "missing");
    refused(
        with(b -> b.getTaskBuilder().getContainerBuilder().setImage("")),
        "spec.task_template.container_spec.image",
        "image reference must be provided");
    refused(
        with(b -> b.getTaskBuilder().getContainerBuilder().setImage("App:1")),
        "spec.task_template.container_spec.image",
        "not a valid image reference");
    refused(
        with(b -> b.getTaskBuilder().getContainerBuilder().setImage("app 1")),
        "spec.task_template.container_spec.image",
        "not a valid image reference");
    refused(
        with(b -> b.getTaskBuilder().getContainerBuilder().setImage("ghcr.io/team/../app")),
        "spec.task_template.container_spec.image",
        "not a valid image reference");
    for (String ok :
        new String[] {
          "app",
          "app:broken",
          "busybox:1.36",
          "team/app:2",
          "registry.example:5000/team/app:v1.2",
          "localhost/app",
          "Registry.Example/app"
        }) {
      ServiceSpecValidator.validate(
          with(b -> b.getTaskBuilder().getContainerBuilder().setImage(ok)));
    }
  }

  @Test
  void constraintsMustParse() {
    Consumer<String> bad =
        c ->
            refused(
                with(
                    b ->
                        b.getTaskBuilder()
                            .setPlacement(
                                Placement.newBuilder()
                                    .addConstraints("node.role==worker")
                                    .addConstraints(c))),
                "spec.task_template.placement.constraints[1]",
                "");
    bad.accept("node.role=worker");
    bad.accept("node.colour==blue");
    bad.accept("node.role==boss");
    bad.accept("node.labels.==x");
    bad.accept("==x");
    bad.accept("node.hostname==");
    refused(
        with(
            b ->
                b.getTaskBuilder()
                    .setPlacement(Placement.newBuilder().addConstraints("node.role=worker"))),
        "spec.task_template.placement.constraints[0]",
        "expected one operator from ==, !=");
    ServiceSpecValidator.validate(
        with(
            b ->
                b.getTaskBuilder()
                    .setPlacement(
                        Placement.newBuilder()
                            .addConstraints("node.role == manager")
                            .addConstraints("node.labels.zone!=east")
                            .addConstraints("engine.labels.disk==ssd")
                            .addConstraints("node.platform.arch==amd64"))));
  }

  @Test
  void spreadPreferencesNameALabel() {
    refused(
        with(
            b ->
                b.getTaskBuilder()
                    .setPlacement(
                        Placement.newBuilder()
                            .addPreferences(
                                PlacementPreference.newBuilder()
                                    .setSpread(
                                        SpreadOver.newBuilder()
                                            .setSpreadDescriptor("node.hostname"))))),
        "spec.task_template.placement.preferences[0].spread",
        "use node.labels.NAME");
    refused(
        with(
            b ->
                b.getTaskBuilder()
                    .setPlacement(
                        Placement.newBuilder()
                            .addPreferences(PlacementPreference.getDefaultInstance()))),
        "spec.task_template.placement.preferences[0]",
        "empty placement preference");
    ServiceSpecValidator.validate(
        with(
            b ->
                b.getTaskBuilder()
                    .setPlacement(
                        Placement.newBuilder()
                            .addPreferences(
                                PlacementPreference.newBuilder()
                                    .setSpread(
                                        SpreadOver.newBuilder()
                                            .setSpreadDescriptor("node.labels.zone")))
                            .addPreferences(
                                PlacementPreference.newBuilder()
                                    .setSpread(
                                        SpreadOver.newBuilder()
                                            .setSpreadDescriptor("engine.labels.rack"))))));
  }

  @Test
  void maxReplicasPerNodeIsRefusedForGlobalModes() {
    refused(
        with(
            b ->
                b.setGlobal(GlobalService.getDefaultInstance())
                    .getTaskBuilder()
                    .setPlacement(Placement.newBuilder().setMaxReplicas(2))),
        "spec.task_template.placement.max_replicas",
        "replicas-max-per-node can only be used with replicated");
    refused(
        with(
            b ->
                b.setGlobalJob(GlobalJob.getDefaultInstance())
                    .getTaskBuilder()
                    .setPlacement(Placement.newBuilder().setMaxReplicas(2))),
        "spec.task_template.placement.max_replicas",
        "replicated");
    ServiceSpecValidator.validate(
        with(
            b ->
                b.setReplicated(ReplicatedService.newBuilder().setReplicas(4))
                    .getTaskBuilder()
                    .setPlacement(Placement.newBuilder().setMaxReplicas(2))));
  }

  @Test
  void resourcesAreNonNegativeAboveDockersMinimumsAndReservationsFitLimits() {
    refused(
        with(
            b ->
                b.getTaskBuilder()
                    .setResources(
                        ResourceRequirements.newBuilder()
                            .setLimits(Resources.newBuilder().setMemoryBytes(-1)))),
        "spec.task_template.resources.limits.memory_bytes",
        "invalid memory value -1");
    refused(
        with(
            b ->
                b.getTaskBuilder()
                    .setResources(
                        ResourceRequirements.newBuilder()
                            .setReservations(Resources.newBuilder().setNanoCpus(-5)))),
        "spec.task_template.resources.reservations.nano_cpus",
        "invalid cpu value");
    refused(
        with(
            b ->
                b.getTaskBuilder()
                    .setResources(
                        ResourceRequirements.newBuilder()
                            .setLimits(Resources.newBuilder().setMemoryBytes(1024)))),
        "spec.task_template.resources.limits.memory_bytes",
        "at least 4MiB");
    refused(
        with(
            b ->
                b.getTaskBuilder()
                    .setResources(
                        ResourceRequirements.newBuilder()
                            .setLimits(Resources.newBuilder().setMemoryBytes(64L << 20))
                            .setReservations(Resources.newBuilder().setMemoryBytes(128L << 20)))),
        "spec.task_template.resources.reservations.memory_bytes",
        "more than the limit");
    refused(
        with(
            b ->
                b.getTaskBuilder()
                    .setResources(
                        ResourceRequirements.newBuilder()
                            .setLimits(Resources.newBuilder().setNanoCpus(500_000_000))
                            .setReservations(Resources.newBuilder().setNanoCpus(1_500_000_000)))),
        "spec.task_template.resources.reservations.nano_cpus",
        "reservation 1.5 CPU is more than the limit 0.5 CPU");
    // A reservation without a limit is fine.
    ServiceSpecValidator.validate(
        with(
            b ->
                b.getTaskBuilder()
                    .setResources(
                        ResourceRequirements.newBuilder()
                            .setReservations(
                                Resources.newBuilder()
                                    .setNanoCpus(2_000_000_000)
                                    .setMemoryBytes(1L << 30)))));
  }

  @Test
  void durationsMustNotBeNegative() {
    refused(
        with(b -> b.getTaskBuilder().setRestart(RestartPolicy.newBuilder().setDelay(seconds(-1)))),
        "spec.task_template.restart_policy.delay",
        "must not be negative, got -1s");
    refused(
        with(
            b ->
                b.getTaskBuilder()
                    .setRestart(
                        RestartPolicy.newBuilder()
                            .setWindow(Duration.newBuilder().setNanos(-500_000_000)))),
        "spec.task_template.restart_policy.window",
        "got -0.5s");
    refused(
        with(b -> b.getTaskBuilder().getContainerBuilder().setStopGracePeriod(seconds(-10))),
        "spec.task_template.container_spec.stop_grace_period",
        "must not be negative");
    refused(
        with(b -> b.setUpdate(UpdateConfig.newBuilder().setDelay(seconds(-2)))),
        "spec.update_config.delay",
        "must not be negative");
    refused(
        with(b -> b.setRollback(UpdateConfig.newBuilder().setMonitor(seconds(-2)))),
        "spec.rollback_config.monitor",
        "must not be negative");
    refused(
        with(b -> b.setUpdate(UpdateConfig.newBuilder().setMaxFailureRatio(1.5f))),
        "spec.update_config.max_failure_ratio",
        "between 0 and 1");
    refused(
        with(b -> b.getTaskBuilder().setRestart(RestartPolicy.newBuilder().setConditionValue(17))),
        "spec.task_template.restart_policy.condition",
        "none, on-failure or any");
  }

  @Test
  void mountsNeedDistinctTargets() {
    refused(
        with(
            b ->
                b.getTaskBuilder()
                    .getContainerBuilder()
                    .addMounts(
                        Mount.newBuilder()
                            .setType(Mount.Type.VOLUME)
                            .setSource("a")
                            .setTarget("/data"))
                    .addMounts(Mount.newBuilder().setType(Mount.Type.TMPFS).setTarget("/data"))),
        "spec.task_template.container_spec.mounts[1].target",
        "duplicate mount point: /data");
    refused(
        with(
            b ->
                b.getTaskBuilder()
                    .getContainerBuilder()
                    .addMounts(Mount.newBuilder().setType(Mount.Type.BIND).setTarget("/data"))),
        "spec.task_template.container_spec.mounts[0].source",
        "needs a source");
  }

  @Test
  void endpointPortsAreChecked() {
    refused(
        with(
            b ->
                b.setEndpoint(
                    EndpointSpec.newBuilder()
                        .setMode(EndpointSpec.ResolutionMode.DNSRR)
                        .addPorts(
                            PortConfig.newBuilder().setTargetPort(80).setPublishedPort(8080)))),
        "spec.endpoint_spec.ports[0]",
        "can't be used with dnsrr mode");
    refused(
        with(
            b ->
                b.setEndpoint(
                    EndpointSpec.newBuilder()
                        .addPorts(PortConfig.newBuilder().setTargetPort(80).setPublishedPort(8080))
                        .addPorts(
                            PortConfig.newBuilder().setTargetPort(81).setPublishedPort(8080)))),
        "spec.endpoint_spec.ports[1].published_port",
        "duplicate published port 8080/tcp");
    refused(
        with(
            b ->
                b.setEndpoint(
                    EndpointSpec.newBuilder().addPorts(PortConfig.newBuilder().setTargetPort(0)))),
        "spec.endpoint_spec.ports[0].target_port",
        "from 1 to 65535");
    ServiceSpecValidator.validate(
        with(
            b ->
                b.setEndpoint(
                    EndpointSpec.newBuilder()
                        .setMode(EndpointSpec.ResolutionMode.DNSRR)
                        .addPorts(
                            PortConfig.newBuilder()
                                .setTargetPort(80)
                                .setPublishedPort(8080)
                                .setPublishMode(PortConfig.PublishMode.HOST))
                        .addPorts(
                            PortConfig.newBuilder()
                                .setTargetPort(53)
                                .setPublishedPort(8080)
                                .setPublishMode(PortConfig.PublishMode.HOST)
                                .setProtocol(PortConfig.Protocol.UDP)))));
  }
}
