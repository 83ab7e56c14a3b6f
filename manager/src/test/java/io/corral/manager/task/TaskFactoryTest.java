package io.corral.manager.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Annotations;
import io.corral.api.Cluster;
import io.corral.api.ClusterSpec;
import io.corral.api.ContainerSpec;
import io.corral.api.Driver;
import io.corral.api.Meta;
import io.corral.api.ReplicatedService;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskDefaults;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.common.ProtoTime;
import io.corral.manager.orchestrator.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskFactoryTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2024-05-06T07:08:09Z"));
  private final Service service =
      Service.newBuilder()
          .setId("svc")
          .setMeta(Meta.newBuilder().setVersion(42))
          .setSpec(
              ServiceSpec.newBuilder()
                  .setAnnotations(Annotations.newBuilder().setName("web").putLabels("k", "v"))
                  .setTask(
                      TaskSpec.newBuilder()
                          .setContainer(ContainerSpec.newBuilder().setImage("app:1")))
                  .setReplicated(ReplicatedService.newBuilder().setReplicas(3)))
          .build();

  @Test
  void aReplicatedTaskCopiesItsServiceAndIsNamedBySlot() {
    Task t = TaskFactory.newTask(service, 3, clock);

    assertThat(t.getId()).matches("[0-9a-z]{25}");
    assertThat(t.getAnnotations().getName()).isEqualTo("web.3." + t.getId());
    assertThat(t.getServiceId()).isEqualTo("svc");
    assertThat(t.getSlot()).isEqualTo(3);
    assertThat(t.getNodeId()).isEmpty();
    assertThat(t.getSpec()).isEqualTo(service.getSpec().getTask());
    assertThat(t.getServiceAnnotations()).isEqualTo(service.getSpec().getAnnotations());
    assertThat(t.getSpecVersion().getIndex()).isEqualTo(42);
    assertThat(t.getDesiredState()).isEqualTo(TaskState.RUNNING);
    assertThat(t.getStatus().getState()).isEqualTo(TaskState.NEW);
    assertThat(ProtoTime.instant(t.getStatus().getTimestamp())).isEqualTo(clock.instant());
    assertThat(TaskFactory.newTask(service, 3, clock).getId()).isNotEqualTo(t.getId());
  }

  @Test
  void aGlobalTaskIsNamedByNodeAndBoundToIt() {
    Task t = TaskFactory.newGlobalTask(service, "node1", clock);
    assertThat(t.getAnnotations().getName()).isEqualTo("web.node1." + t.getId());
    assertThat(t.getSlot()).isZero();
    assertThat(t.getNodeId()).isEqualTo("node1");
  }

  @Test
  void theServiceSpecVersionWinsOverItsMetaVersion() {
    Service versioned =
        service.toBuilder().setSpecVersion(io.corral.api.Version.newBuilder().setIndex(7)).build();
    assertThat(TaskFactory.newTask(versioned, 1, clock).getSpecVersion().getIndex()).isEqualTo(7);
  }

  @Test
  void theClusterLogDriverIsTheDefault() {
    Cluster cluster =
        Cluster.newBuilder()
            .setSpec(
                ClusterSpec.newBuilder()
                    .setTaskDefaults(
                        TaskDefaults.newBuilder()
                            .setLogDriver(Driver.newBuilder().setName("json-file"))))
            .build();
    Task t = TaskFactory.withClusterDefaults(TaskFactory.newTask(service, 1, clock), cluster);
    assertThat(t.getLogDriver().getName()).isEqualTo("json-file");
  }
}
