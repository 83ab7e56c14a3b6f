package io.corral.worker.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Annotations;
import io.corral.api.ContainerSpec;
import io.corral.api.Mount;
import io.corral.api.NetworkAttachment;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The create bodies of a networked task's sandbox and of its container. */
class SandboxConfigsTest {

  private static Task task(ContainerSpec.Builder container) {
    return Task.newBuilder()
        .setId("t1")
        .setServiceId("s1")
        .setSlot(2)
        .setServiceAnnotations(Annotations.newBuilder().setName("web"))
        .setSpec(TaskSpec.newBuilder().setContainer(container))
        .addNetworks(NetworkAttachment.newBuilder().addAddresses("10.0.1.5/24"))
        .build();
  }

  private static final ContainerSpec.Builder SPEC =
      ContainerSpec.newBuilder()
          .setImage("app:1")
          .putLabels("team", "a")
          .setHostname("web-host")
          .addHosts("10.9.9.9 db")
          .setDnsConfig(ContainerSpec.DNSConfig.newBuilder().addNameservers("8.8.8.8"));

  @SuppressWarnings("unchecked")
  private static Map<String, Object> host(Map<String, Object> body) {
    return (Map<String, Object>) body.get("HostConfig");
  }

  @Test
  void aFreshSandboxRunsTheTasksImageWithTheHostsBusyboxAsSleepWithoutNetwork() {
    Map<String, Object> body =
        ContainerConfigs.sandboxBody(task(SPEC), "n1", Path.of("/bin/busybox"));

    assertThat(body.get("Image")).isEqualTo("app:1");
    assertThat(body.get("Entrypoint"))
        .isEqualTo(List.of("/.corral/busybox", "sleep", "2147483647"));
    assertThat(body.get("Cmd")).isEqualTo(List.of());
    assertThat((Map<String, String>) body.get("Labels"))
        .containsEntry(ContainerConfigs.LABEL_TASK_ID, "t1")
        .containsEntry(ContainerConfigs.LABEL_NODE_ID, "n1")
        .containsEntry(ContainerConfigs.LABEL_SANDBOX, "true")
        .containsEntry("team", "a");
    // The task container shares the sandbox's hostname and hosts: they are set here.
    assertThat(body.get("Hostname")).isEqualTo("web-host");
    assertThat(host(body).get("NetworkMode")).isEqualTo("none");
    assertThat(host(body).get("ExtraHosts")).isEqualTo(List.of("db:10.9.9.9"));
    assertThat(host(body).get("Mounts"))
        .isEqualTo(
            List.of(
                Map.of(
                    "Type",
                    "bind",
                    "Source",
                    "/bin/busybox",
                    "Target",
                    "/.corral/busybox",
                    "ReadOnly",
                    true)));
  }

  @Test
  void aSandboxJoiningARunningTaskTakesItsImageAndLabelsAndNoHostnameTheEngineWouldRefuse() {
    ContainerState running =
        new ContainerState(
            "abc",
            "web.2.t1",
            "app:1",
            "running",
            true,
            0,
            42,
            null,
            null,
            "",
            false,
            null,
            false,
            Map.of(ContainerConfigs.LABEL_TASK_ID, "t1", ContainerConfigs.LABEL_NODE_ID, "n1"),
            0,
            0);

    Map<String, Object> body =
        ContainerConfigs.joiningSandboxBody(running, Path.of("/bin/busybox"));

    assertThat(body.get("Image")).isEqualTo("app:1");
    assertThat((Map<String, String>) body.get("Labels"))
        .containsEntry(ContainerConfigs.LABEL_TASK_ID, "t1")
        .containsEntry(ContainerConfigs.LABEL_SANDBOX, "true");
    assertThat(host(body).get("NetworkMode")).isEqualTo("container:abc");
    assertThat(body).doesNotContainKey("Hostname");
    assertThat(host(body)).doesNotContainKey("ExtraHosts");
  }

  @Test
  void theTaskJoinsItsSandboxByNameWithTheDriversResolvConfAndNoDnsSettings() {
    Map<String, Object> body =
        ContainerConfigs.networkedBody(
            task(SPEC), "n1", "corral-sandbox-t1", Path.of("/etc/netns/corral-t1/resolv.conf"));

    assertThat(host(body).get("NetworkMode")).isEqualTo("container:corral-sandbox-t1");
    assertThat(body).doesNotContainKey("Hostname");
    assertThat(host(body)).doesNotContainKeys("Dns", "DnsSearch", "DnsOptions", "ExtraHosts");
    assertThat(host(body).get("Mounts"))
        .isEqualTo(
            List.of(
                Map.of(
                    "Type",
                    "bind",
                    "Source",
                    "/etc/netns/corral-t1/resolv.conf",
                    "Target",
                    "/etc/resolv.conf",
                    "ReadOnly",
                    true)));
    assertThat((Map<String, String>) body.get("Labels"))
        .doesNotContainKey(ContainerConfigs.LABEL_SANDBOX);
  }

  @Test
  void aResolvConfTheSpecMountsItselfIsKept() {
    Map<String, Object> body =
        ContainerConfigs.networkedBody(
            task(
                SPEC.clone()
                    .addMounts(
                        Mount.newBuilder()
                            .setType(Mount.Type.BIND)
                            .setSource("/srv/resolv.conf")
                            .setTarget("/etc/resolv.conf"))),
            "n1",
            "corral-sandbox-t1",
            Path.of("/etc/netns/corral-t1/resolv.conf"));

    assertThat((List<Map<String, Object>>) host(body).get("Mounts"))
        .extracting(m -> m.get("Source"))
        .containsExactly("/srv/resolv.conf");
  }
}
