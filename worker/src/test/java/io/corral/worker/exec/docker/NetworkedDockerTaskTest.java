package io.corral.worker.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.corral.api.Annotations;
import io.corral.api.ContainerSpec;
import io.corral.api.Driver;
import io.corral.api.IPAMConfig;
import io.corral.api.IPAMOptions;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.NetworkSpec;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.worker.agent.TaskLifecycle;
import io.corral.worker.network.Commands;
import io.corral.worker.network.EndpointTable;
import io.corral.worker.network.NamespaceProvider;
import io.corral.worker.network.NetworkListener;
import io.corral.worker.network.OverlayDataPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container task on an internal overlay network, through the task lifecycle with the network
 * preparer and the docker executor's sandboxes: the container sees eth0 with its address, the
 * resolv.conf naming the gateway and no default route; removing it removes the sandbox, the
 * namespace's name and the network's devices. Needs root and an engine; run it under flock
 * /tmp/corral-scenario.lock.
 */
class NetworkedDockerTaskTest {

  private static final String NODE = "npn-d" + ProcessHandle.current().pid();
  private final String taskId = "ndtp" + ProcessHandle.current().pid();
  private final String nodeId = "test-node-nd-" + ProcessHandle.current().pid();
  private final Commands host = Commands.local();
  private DockerClient docker;

  @TempDir Path tmp;

  @BeforeEach
  void connect() {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root for ip netns");
    docker = DockerAvailable.clientOrSkip();
  }

  @AfterEach
  void cleanUp() {
    if (docker == null) {
      return;
    }
    DockerAvailable.removeNodesContainers(docker, nodeId);
    host.attempt("ip", "netns", "del", NamespaceProvider.nameOf(taskId));
    host.attempt("rm", "-rf", "/etc/netns/" + NamespaceProvider.nameOf(taskId));
    host.attempt("ip", "netns", "del", NODE);
  }

  @Test
  void theContainerRunsInItsSandboxsNamespace() throws Exception {
    host.run("ip", "netns", "add", NODE);
    Commands node = Commands.prefixed(List.of("ip", "netns", "exec", NODE));
    node.run("ip", "link", "add", "ndu0", "type", "bridge");
    node.run("ip", "addr", "add", "10.235.0.1/24", "dev", "ndu0");
    node.run("ip", "link", "set", "ndu0", "up");
    DockerBackend backend = new DockerBackend(docker, nodeId, "none");
    OverlayDataPath path =
        OverlayDataPath.start(
            node,
            new EndpointTable(),
            nodeId,
            "10.235.0.1",
            backend.namespaces(),
            tmp.resolve("networks"),
            NetworkListener.NONE);
    Map<String, TaskState> states = new ConcurrentHashMap<>();
    try (TaskLifecycle<?> lifecycle = new TaskLifecycle<>(backend, List.of(path.preparer()))) {
      lifecycle.start(task(), (id, s) -> states.put(id, s.getState()));
      await().atMost(Duration.ofSeconds(30)).until(() -> states.get(taskId) == TaskState.RUNNING);
      String container = taskContainer();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(output(container))
                      .contains("nameserver 10.235.1.1")
                      .contains("eth0")
                      .contains("10.235.1.9/24")
                      .contains("10.235.1.0/24 dev eth0")
                      .doesNotContain("ndu0")
                      .doesNotContain("default"));
      assertThat(node.run("ip", "-o", "link", "show", "dev", "cbr5001")).contains("mtu 1450");

      lifecycle.remove(taskId, Duration.ofSeconds(1));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !node.attempt("ip", "link", "show", "dev", "cbr5001").ok());
      assertThat(docker.inspectContainer(SandboxNamespaces.containerName(taskId))).isEmpty();
      assertThat(Files.exists(Path.of("/var/run/netns", NamespaceProvider.nameOf(taskId))))
          .isFalse();
    } finally {
      path.close();
    }
  }

  private String taskContainer() {
    return docker.listContainers(Map.of(ContainerConfigs.LABEL_TASK_ID, taskId)).stream()
        .filter(c -> !c.labels().containsKey(ContainerConfigs.LABEL_SANDBOX))
        .map(ContainerSummary::id)
        .findFirst()
        .orElseThrow();
  }

  private String output(String container) {
    return docker.logs(container, new LogOptions(false, false, -1, null)).stream()
        .map(LogEntry::line)
        .collect(Collectors.joining("\n"));
  }

  private Task task() {
    Network net =
        Network.newBuilder()
            .setId("net-d")
            .setSpec(
                NetworkSpec.newBuilder()
                    .setAnnotations(Annotations.newBuilder().setName("back"))
                    .setInternal(true))
            .setDriverState(
                Driver.newBuilder()
                    .setName("overlay")
                    .putOptions("com.docker.network.driver.overlay.vxlanid_list", "5001"))
            .setIpam(
                IPAMOptions.newBuilder()
                    .addConfigs(
                        IPAMConfig.newBuilder()
                            .setSubnet("10.235.1.0/24")
                            .setGateway("10.235.1.1")))
            .build();
    return Task.newBuilder()
        .setId(taskId)
        .setServiceId("svc-nd")
        .setSlot(1)
        .setServiceAnnotations(Annotations.newBuilder().setName("nd"))
        .setDesiredState(TaskState.RUNNING)
        .setSpec(
            TaskSpec.newBuilder()
                .setContainer(
                    ContainerSpec.newBuilder()
                        .setImage(DockerAvailable.IMAGE)
                        .addCommand("sh")
                        .addArgs("-c")
                        .addArgs(
                            "cat /etc/resolv.conf; ip -o addr; ip route; "
                                + "trap 'exit 0' TERM; while true; do sleep 0.1; done")))
        .addNetworks(NetworkAttachment.newBuilder().setNetwork(net).addAddresses("10.235.1.9/24"))
        .build();
  }
}
