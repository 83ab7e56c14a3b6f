package io.corral.worker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.corral.worker.exec.process.ProcessBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process task on an internal overlay network, through the task lifecycle with the network
 * preparer: its command runs inside its namespace (eth0, the resolv.conf naming the gateway, no
 * default route), and removing it removes the namespace and the network's devices.
 */
@NeedsRoot
class NetworkedProcessTaskTest {

  private static final String NODE = "npn-p" + ProcessHandle.current().pid();
  private final String taskId = "nptp" + ProcessHandle.current().pid();
  private final Commands host = Commands.local();

  @TempDir Path tmp;

  @AfterEach
  void cleanUp() {
    ProcessBackend.killAll(tmp.resolve("tasks"));
    host.attempt("ip", "netns", "del", NamespaceProvider.nameOf(taskId));
    host.attempt("rm", "-rf", "/etc/netns/" + NamespaceProvider.nameOf(taskId));
    host.attempt("ip", "netns", "del", NODE);
  }

  @Test
  void theTaskRunsInItsNamespace() throws Exception {
    host.run("ip", "netns", "add", NODE);
    Commands node = Commands.prefixed(List.of("ip", "netns", "exec", NODE));
    node.run("ip", "link", "add", "npu0", "type", "bridge");
    node.run("ip", "addr", "add", "10.234.0.1/24", "dev", "npu0");
    node.run("ip", "link", "set", "npu0", "up");
    Path images = tmp.resolve("images");
    Files.createDirectories(images.resolve("probe/1"));
    Files.writeString(
        images.resolve("probe/1/image.properties"),
        "entrypoint=/bin/sh -c \"cat /etc/resolv.conf; ls /sys/class/net; ip route; sleep 60\"\n");
    OverlayDataPath path =
        OverlayDataPath.start(
            node,
            new EndpointTable(),
            "node-p",
            "10.234.0.1",
            new ProcessNamespaces(host),
            tmp.resolve("networks"),
            NetworkListener.NONE);
    Map<String, TaskState> states = new ConcurrentHashMap<>();
    try (TaskLifecycle<?> lifecycle =
        new TaskLifecycle<>(
            new ProcessBackend(images, tmp.resolve("tasks")), List.of(path.preparer()))) {
      lifecycle.start(task(), (id, s) -> states.put(id, s.getState()));
      await().atMost(Duration.ofSeconds(20)).until(() -> states.get(taskId) == TaskState.RUNNING);
      Path stdout = tmp.resolve("tasks").resolve(taskId).resolve("stdout");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(Files.readString(stdout))
                      .contains("nameserver 10.234.1.1")
                      .contains("eth0")
                      .contains("10.234.1.0/24 dev eth0")
                      .doesNotContain("npu0")
                      .doesNotContain("default"));
      assertThat(node.run("ip", "-o", "link", "show", "dev", "cbr5000")).contains("mtu 1450");

      lifecycle.remove(taskId, Duration.ofSeconds(1));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !node.attempt("ip", "link", "show", "dev", "cbr5000").ok());
      assertThat(ProcessNamespaces.exists(host, NamespaceProvider.nameOf(taskId))).isFalse();
    } finally {
      path.close();
    }
  }

  private Task task() {
    Network net =
        Network.newBuilder()
            .setId("net-p")
            .setSpec(
                NetworkSpec.newBuilder()
                    .setAnnotations(Annotations.newBuilder().setName("back"))
                    .setInternal(true))
            .setDriverState(
                Driver.newBuilder()
                    .setName("overlay")
                    .putOptions(OverlayNetwork.VNI_OPTION, "5000"))
            .setIpam(
                IPAMOptions.newBuilder()
                    .addConfigs(
                        IPAMConfig.newBuilder()
                            .setSubnet("10.234.1.0/24")
                            .setGateway("10.234.1.1")))
            .build();
    return Task.newBuilder()
        .setId(taskId)
        .setDesiredState(TaskState.RUNNING)
        .setSpec(TaskSpec.newBuilder().setContainer(ContainerSpec.newBuilder().setImage("probe:1")))
        .addNetworks(NetworkAttachment.newBuilder().setNetwork(net).addAddresses("10.234.1.9/24"))
        .build();
  }
}
