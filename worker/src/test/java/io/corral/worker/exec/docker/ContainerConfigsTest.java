package io.corral.worker.exec.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.corral.api.Annotations;
import io.corral.api.ContainerSpec;
import io.corral.api.Mount;
import io.corral.api.ResourceRequirements;
import io.corral.api.Resources;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerConfigsTest {

  private static Task task(ContainerSpec.Builder container) {
    return Task.newBuilder()
        .setId("t1")
        .setServiceId("s1")
        .setSlot(2)
        .setNodeId("n1")
        .setServiceAnnotations(Annotations.newBuilder().setName("web"))
        .setSpec(
            TaskSpec.newBuilder()
                .setContainer(container)
                .setResources(
                    ResourceRequirements.newBuilder()
                        .setLimits(
                            Resources.newBuilder()
                                .setMemoryBytes(64L << 20)
                                .setNanoCpus(500_000_000L))))
        .build();
  }

  @Test
  void namesTasksLikeSwarm() {
    Task replicated = task(ContainerSpec.newBuilder().setImage("x"));
    assertEquals("web.2.t1", ContainerConfigs.containerName(replicated));
    assertEquals(
        "web.n1.t1", ContainerConfigs.containerName(replicated.toBuilder().setSlot(0).build()));
    assertEquals(
        "own",
        ContainerConfigs.containerName(
            replicated.toBuilder()
                .setAnnotations(Annotations.newBuilder().setName("own"))
                .build()));
  }

  @Test
  void aCommandReplacesTheEntrypointAndArgsFollowIt() {
    Map<String, Object> body =
        ContainerConfigs.createBody(
            task(
                ContainerSpec.newBuilder()
                    .setImage("img")
                    .addCommand("sh")
                    .addArgs("-c")
                    .addArgs("echo hi")),
            "n1",
            "none");
    assertEquals(List.of("sh"), body.get("Entrypoint"));
    assertEquals(List.of("-c", "echo hi"), body.get("Cmd"));

    Map<String, Object> argsOnly =
        ContainerConfigs.createBody(
            task(ContainerSpec.newBuilder().setImage("img").addArgs("--port=80")), "n1", "none");
    assertFalse(argsOnly.containsKey("Entrypoint"), "args alone keep the image's entrypoint");
    assertEquals(List.of("--port=80"), argsOnly.get("Cmd"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void carriesIdentityLabelsLimitsAndRuntimeSettings() {
    ContainerSpec.Builder spec =
        ContainerSpec.newBuilder()
            .setImage("img")
            .putLabels("io.corral.node.id", "forged")
            .putLabels("team", "a")
            .addEnv("A=1")
            .setDir("/srv")
            .setUser("nobody")
            .setInit(true)
            .setStopGracePeriod(com.google.protobuf.Duration.newBuilder().setSeconds(3).setNanos(1))
            .addHosts("10.0.0.1 db db.local")
            .addMounts(
                Mount.newBuilder()
                    .setType(Mount.Type.TMPFS)
                    .setTarget("/tmp")
                    .setTmpfsOptions(Mount.TmpfsOptions.newBuilder().setSizeBytes(1 << 20)));
    Map<String, Object> body = ContainerConfigs.createBody(task(spec), "n1", "none");

    Map<String, String> labels = (Map<String, String>) body.get("Labels");
    assertEquals(
        "n1", labels.get(ContainerConfigs.LABEL_NODE_ID), "a user label cannot forge the node");
    assertEquals("t1", labels.get(ContainerConfigs.LABEL_TASK_ID));
    assertEquals("s1", labels.get(ContainerConfigs.LABEL_SERVICE_ID));
    assertEquals("web.2.t1", labels.get(ContainerConfigs.LABEL_TASK_NAME));
    assertEquals("a", labels.get("team"));
    assertEquals(List.of("A=1"), body.get("Env"));
    assertEquals("/srv", body.get("WorkingDir"));
    assertEquals("nobody", body.get("User"));
    assertEquals(4, body.get("StopTimeout"), "the grace period rounds up to whole seconds");

    Map<String, Object> host = (Map<String, Object>) body.get("HostConfig");
    assertEquals(64L << 20, host.get("Memory"));
    assertEquals(500_000_000L, host.get("NanoCpus"));
    assertEquals(true, host.get("Init"));
    assertEquals("none", host.get("NetworkMode"));
    assertEquals(List.of("db:10.0.0.1", "db.local:10.0.0.1"), host.get("ExtraHosts"));
    assertEquals(
        List.of(
            Map.of(
                "Type", "tmpfs", "Target", "/tmp", "TmpfsOptions", Map.of("SizeBytes", 1L << 20))),
        host.get("Mounts"));
    // The whole body must be writable as JSON (no doubles or protobuf objects slipped in).
    String json = Json.write(body);
    assertEquals(json, Json.write(Json.parseObject(json)));
  }

  @Test
  @SuppressWarnings("unchecked")
  void reservationsBecomeAMemoryReservationAndCpuShares() {
    Task reserved =
        task(ContainerSpec.newBuilder().setImage("img")).toBuilder()
            .setSpec(
                TaskSpec.newBuilder()
                    .setContainer(ContainerSpec.newBuilder().setImage("img"))
                    .setResources(
                        ResourceRequirements.newBuilder()
                            .setReservations(
                                Resources.newBuilder()
                                    .setMemoryBytes(32L << 20)
                                    .setNanoCpus(250_000_000L))))
            .build();
    Map<String, Object> host =
        (Map<String, Object>) ContainerConfigs.createBody(reserved, "n1", "none").get("HostConfig");
    assertEquals(32L << 20, host.get("MemoryReservation"));
    assertEquals(256L, host.get("CpuShares"), "a quarter of docker's 1024 shares per CPU");
    assertFalse(host.containsKey("Memory"), "a reservation is no limit");
    assertFalse(host.containsKey("NanoCpus"));
  }

  @Test
  void cpuSharesNeverFallBelowTheKernelsMinimum() {
    assertEquals(2L, ContainerConfigs.cpuShares(1));
    assertEquals(2048L, ContainerConfigs.cpuShares(2_000_000_000L));
  }

  @Test
  void stopGraceDefaultsToTenSeconds() {
    assertEquals(
        Duration.ofSeconds(10), ContainerConfigs.stopGrace(ContainerSpec.getDefaultInstance()));
  }
}
