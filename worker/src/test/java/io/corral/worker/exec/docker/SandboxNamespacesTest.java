package io.corral.worker.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Annotations;
import io.corral.api.ContainerSpec;
import io.corral.api.NetworkAttachment;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.worker.agent.TaskBackend;
import io.corral.worker.network.NamespaceProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Networked tasks' sandboxes against the real engine (skipped without one, or without the rights to
 * name namespaces; run under flock /tmp/corral-scenario.lock on shared machines).
 */
class SandboxNamespacesTest {

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String node = "test-node-sb-" + run;
  private final String taskId = "sb" + run;
  private final String name = NamespaceProvider.nameOf(taskId);
  private DockerClient docker;
  private DockerBackend backend;

  @BeforeEach
  void connect() {
    docker = DockerAvailable.clientOrSkip();
    backend = new DockerBackend(docker, node, "none");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (docker == null) {
      return;
    }
    try {
      backend.namespaces().release(taskId);
      backend.close();
      Path etc = SandboxNamespaces.resolvConf(taskId).getParent();
      Files.deleteIfExists(etc.resolve("resolv.conf"));
      Files.deleteIfExists(etc);
    } finally {
      DockerAvailable.removeNodesContainers(docker, node);
    }
  }

  private Task task() {
    return Task.newBuilder()
        .setId(taskId)
        .setServiceId("svc-" + run)
        .setSlot(1)
        .setServiceAnnotations(Annotations.newBuilder().setName("sb-" + run))
        .setSpec(
            TaskSpec.newBuilder()
                .setContainer(
                    ContainerSpec.newBuilder()
                        .setImage(DockerAvailable.IMAGE)
                        .setHostname("web-" + run)
                        .addCommand("sh")
                        .addArgs("-c")
                        .addArgs("trap 'exit 0' TERM; while true; do sleep 0.1; done")))
        .addNetworks(NetworkAttachment.newBuilder().addAddresses("10.0.1.5/24"))
        .build();
  }

  private ContainerState sandbox() {
    return docker.inspectContainer(SandboxNamespaces.containerName(taskId)).orElse(null);
  }

  private static Path named(String name) {
    return SandboxNamespaces.NETNS_DIR.resolve(name);
  }

  @Test
  void theTaskRunsInItsSandboxsNamedNamespaceWhichOutlivesALostSandboxAndIsReleased()
      throws Exception {
    Task task = task();

    assertThat(backend.namespaces().provide(task)).isEqualTo(name);
    ContainerState first = sandbox();
    assertThat(first.running()).isTrue();
    assertThat(first.labels()).containsEntry(ContainerConfigs.LABEL_SANDBOX, "true");
    assertThat(SandboxNamespaces.sameNamespace(named(name), first.pid())).isTrue();
    // Asked again (a daemon restart): the same sandbox.
    assertThat(backend.namespaces().provide(task)).isEqualTo(name);
    assertThat(sandbox().id()).isEqualTo(first.id());

    // The network driver writes the task's resolv.conf before its container is created.
    Path resolv = SandboxNamespaces.resolvConf(taskId);
    Files.createDirectories(resolv.getParent());
    Files.writeString(resolv, "nameserver 10.0.1.1\n");
    TaskBackend.Prepared<DockerTask> prepared = backend.prepare(task);
    TaskBackend.Running running = backend.start(prepared.handle());

    assertThat(SandboxNamespaces.sameNamespace(named(name), running.pid())).isTrue();
    assertThat(
            Files.readString(
                Path.of("/proc", Integer.toString(running.pid()), "root/etc/resolv.conf")))
        .isEqualTo("nameserver 10.0.1.1\n");
    assertThat(hostname(running.pid())).isEqualTo("web-" + run);
    // Adoption finds the task's container, never its sandbox.
    try (DockerBackend restarted = new DockerBackend(docker, node, "none")) {
      List<TaskBackend.Adopted<DockerTask>> adopted = restarted.adopt(java.util.Set.of());
      assertThat(adopted)
          .extracting(a -> a.handle().containerId)
          .containsExactly(running.containerId());
    }

    // The sandbox is lost while the task runs: the new one holds the task's own namespace. After a
    // restart the network driver knows only the task's id and networks (its record).
    docker.removeContainer(first.id(), true);
    Task record = Task.newBuilder().setId(taskId).addAllNetworks(task.getNetworksList()).build();
    assertThat(backend.namespaces().provide(record)).isEqualTo(name);
    ContainerState second = sandbox();
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(SandboxNamespaces.sameNamespace(named(name), running.pid())).isTrue();
    assertThat(SandboxNamespaces.sameNamespace(named(name), second.pid())).isTrue();

    assertThat(second.labels()).containsEntry(ContainerConfigs.LABEL_SANDBOX, "true");

    backend.namespaces().release(taskId);

    assertThat(sandbox()).isNull();
    assertThat(Files.exists(named(name))).isFalse();
  }

  @Test
  void aTaskWithoutNetworksNeedsNoSandbox() throws Exception {
    Task plain = task().toBuilder().clearNetworks().build();

    // No provide: its container is created in the backend's own network mode.
    TaskBackend.Prepared<DockerTask> prepared = backend.prepare(plain);

    assertThat(docker.listContainers(Map.of(ContainerConfigs.LABEL_TASK_ID, taskId)))
        .extracting(ContainerSummary::id)
        .containsExactly(prepared.handle().containerId);
    assertThat(sandbox()).isNull();
  }

  private static String hostname(int pid) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("nsenter", "-t", Integer.toString(pid), "-u", "hostname")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return out;
  }
}
