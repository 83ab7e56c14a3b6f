package io.corral.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.Annotations;
import io.corral.api.ContainerSpec;
import io.corral.api.GlobalService;
import io.corral.api.Placement;
import io.corral.api.PlacementPreference;
import io.corral.api.ReplicatedJob;
import io.corral.api.ReplicatedService;
import io.corral.api.Resources;
import io.corral.api.RestartPolicy;
import io.corral.api.ServiceSpec;
import io.corral.api.SpreadOver;
import io.corral.api.TaskSpec;
import io.corral.api.UpdateConfig;
import io.corral.cli.format.CliFailure;
import io.corral.cli.spec.ServiceSpecBuilder.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceSpecBuilderTest {

  @Test
  void anImageAloneGetsDockersClientDefaults() {
    ServiceSpec spec = new ServiceSpecBuilder("app:1").build();

    assertThat(spec)
        .isEqualTo(
            ServiceSpec.newBuilder()
                .setAnnotations(Annotations.getDefaultInstance())
                .setTask(
                    TaskSpec.newBuilder()
                        .setContainer(ContainerSpec.newBuilder().setImage("app:1"))
                        .setPlacement(Placement.getDefaultInstance()))
                .setReplicated(ReplicatedService.newBuilder().setReplicas(1))
                .setUpdate(UpdateConfig.newBuilder().setParallelism(1))
                .setRollback(UpdateConfig.newBuilder().setParallelism(1))
                .build());
    // No restart policy and no resources unless given: the manager's defaults apply.
    assertThat(spec.getTask().hasRestart()).isFalse();
    assertThat(spec.getTask().hasResources()).isFalse();
  }

  @Test
  void everyValueLandsInItsField() {
    ServiceSpec spec =
        new ServiceSpecBuilder("app:1")
            .name("web")
            .labels(Map.of("tier", "front"))
            .entrypoint(List.of("sh", "-c"))
            .args(List.of("echo hi"))
            .env(List.of("A=1", "B"))
            .containerLabels(Map.of("c", "d"))
            .workdir("/srv")
            .user("nobody")
            .stopGracePeriod(Duration.ofSeconds(3))
            .replicas(4)
            .maxReplicasPerNode(2)
            .constraints(List.of("node.role==worker"))
            .spreadOver("node.labels.zone")
            .limitCpus(1_500_000_000L)
            .limitMemory(1L << 30)
            .reserveMemory(64L << 20)
            .restartMaxAttempts(3)
            .build();

    assertThat(spec.getAnnotations().getName()).isEqualTo("web");
    assertThat(spec.getAnnotations().getLabelsMap()).isEqualTo(Map.of("tier", "front"));
    ContainerSpec c = spec.getTask().getContainer();
    assertThat(c.getCommandList()).containsExactly("sh", "-c");
    assertThat(c.getArgsList()).containsExactly("echo hi");
    assertThat(c.getEnvList()).containsExactly("A=1", "B");
    assertThat(c.getLabelsMap()).isEqualTo(Map.of("c", "d"));
    assertThat(c.getDir()).isEqualTo("/srv");
    assertThat(c.getUser()).isEqualTo("nobody");
    assertThat(c.getStopGracePeriod().getSeconds()).isEqualTo(3);
    assertThat(spec.getReplicated().getReplicas()).isEqualTo(4);
    assertThat(spec.getTask().getPlacement())
        .isEqualTo(
            Placement.newBuilder()
                .addConstraints("node.role==worker")
                .addPreferences(
                    PlacementPreference.newBuilder()
                        .setSpread(SpreadOver.newBuilder().setSpreadDescriptor("node.labels.zone")))
                .setMaxReplicas(2)
                .build());
    assertThat(spec.getTask().getResources().getLimits())
        .isEqualTo(
            Resources.newBuilder().setNanoCpus(1_500_000_000L).setMemoryBytes(1L << 30).build());
    assertThat(spec.getTask().getResources().getReservations())
        .isEqualTo(Resources.newBuilder().setMemoryBytes(64L << 20).build());
    // Only the restart field given is sent; the others keep the manager's defaults.
    assertThat(spec.getTask().getRestart())
        .isEqualTo(RestartPolicy.newBuilder().setMaxAttempts(3).build());
  }

  @Test
  void jobsRestartOnFailureUnlessToldOtherwise() {
    assertThat(new ServiceSpecBuilder("app:1").mode(Mode.GLOBAL_JOB).build().getTask().getRestart())
        .isEqualTo(
            RestartPolicy.newBuilder()
                .setCondition(RestartPolicy.RestartCondition.ON_FAILURE)
                .build());
    assertThat(
            new ServiceSpecBuilder("app:1")
                .mode(Mode.REPLICATED_JOB)
                .restartCondition(RestartPolicy.RestartCondition.NONE)
                .build()
                .getTask()
                .getRestart()
                .getCondition())
        .isEqualTo(RestartPolicy.RestartCondition.NONE);
    assertThat(new ServiceSpecBuilder("app:1").mode(Mode.GLOBAL).build().getTask().hasRestart())
        .isFalse();
  }

  @Test
  void replicatedJobCompletionsAndConcurrencyDefaultToEachOther() {
    assertThat(new ServiceSpecBuilder("app:1").mode(Mode.REPLICATED_JOB).build().getReplicatedJob())
        .isEqualTo(ReplicatedJob.newBuilder().setMaxConcurrent(1).setTotalCompletions(1).build());
    assertThat(
            new ServiceSpecBuilder("app:1")
                .mode(Mode.REPLICATED_JOB)
                .replicas(5)
                .build()
                .getReplicatedJob())
        .isEqualTo(ReplicatedJob.newBuilder().setMaxConcurrent(5).setTotalCompletions(5).build());
    assertThat(
            new ServiceSpecBuilder("app:1")
                .mode(Mode.REPLICATED_JOB)
                .maxConcurrent(2)
                .build()
                .getReplicatedJob())
        .isEqualTo(ReplicatedJob.newBuilder().setMaxConcurrent(2).setTotalCompletions(2).build());
    assertThat(
            new ServiceSpecBuilder("app:1")
                .mode(Mode.REPLICATED_JOB)
                .maxConcurrent(2)
                .replicas(6)
                .build()
                .getReplicatedJob())
        .isEqualTo(ReplicatedJob.newBuilder().setMaxConcurrent(2).setTotalCompletions(6).build());
    assertThat(new ServiceSpecBuilder("app:1").mode(Mode.GLOBAL).build().getGlobal())
        .isEqualTo(GlobalService.getDefaultInstance());
  }

  @Test
  void modeConflictsAreRefusedWithDockersMessages() {
    assertThatThrownBy(() -> new ServiceSpecBuilder("a").mode(Mode.GLOBAL).replicas(3).build())
        .isInstanceOf(CliFailure.class)
        .hasMessage("replicas can only be used with replicated or replicated-job mode");
    assertThatThrownBy(() -> new ServiceSpecBuilder("a").mode(Mode.GLOBAL_JOB).replicas(3).build())
        .hasMessage("replicas can only be used with replicated or replicated-job mode");
    assertThatThrownBy(() -> new ServiceSpecBuilder("a").maxConcurrent(3).build())
        .hasMessage("max-concurrent can only be used with replicated-job mode");
    assertThatThrownBy(
            () -> new ServiceSpecBuilder("a").mode(Mode.GLOBAL_JOB).maxReplicasPerNode(1).build())
        .hasMessage(
            "replicas-max-per-node can only be used with replicated or replicated-job mode");
    // 0 means unlimited, which every mode allows.
    assertThat(
            new ServiceSpecBuilder("a").mode(Mode.GLOBAL).maxReplicasPerNode(0).build().hasGlobal())
        .isTrue();
  }

  @Test
  void modesAreNamedByDockersWords() {
    assertThat(Mode.of("replicated-job")).contains(Mode.REPLICATED_JOB);
    assertThat(Mode.of("global")).contains(Mode.GLOBAL);
    assertThat(Mode.of("daemonset")).isEmpty();
    assertThat(Mode.GLOBAL_JOB.word()).isEqualTo("global-job");
  }
}
