package io.corral.worker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Task;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A task namespace whose name was lost (a restarted daemon's) is named again through its task. */
@NeedsRoot
class ProcessNamespacesTest {

  private final Commands host = Commands.local();
  private final String taskId = "npns" + ProcessHandle.current().pid();
  private final String name = NamespaceProvider.nameOf(taskId);
  private Process task;

  @AfterEach
  void cleanUp() {
    if (task != null) {
      task.destroyForcibly();
    }
    host.attempt("ip", "netns", "del", name);
  }

  @Test
  void reusesAnExistingNamespaceAndRenamesOneWhoseNameWasLost() throws Exception {
    Task t = Task.newBuilder().setId(taskId).build();
    ProcessNamespaces plain = new ProcessNamespaces(host);
    assertThat(plain.provide(t)).isEqualTo(name);
    host.inNamespace(name).run("ip", "link", "add", "marker0", "type", "bridge");
    assertThat(plain.provide(t)).isEqualTo(name);
    assertThat(host.inNamespace(name).run("ip", "link", "show")).contains("marker0");

    // The task runs in it; then the name's mount goes, as with a daemon's own mount namespace.
    task = new ProcessBuilder("ip", "netns", "exec", name, "sleep", "60").start();
    int pid = (int) task.pid();
    org.awaitility.Awaitility.await()
        .until(
            () ->
                !java.nio.file.Files.readSymbolicLink(
                        java.nio.file.Path.of("/proc", Integer.toString(pid), "ns", "net"))
                    .equals(
                        java.nio.file.Files.readSymbolicLink(
                            java.nio.file.Path.of("/proc/self/ns/net"))));
    host.run("umount", "/run/netns/" + name);
    assertThat(host.inNamespace(name).attempt("true").ok()).isFalse();

    ProcessNamespaces restarted = new ProcessNamespaces(host, id -> OptionalInt.of(pid));
    assertThat(restarted.provide(t)).isEqualTo(name);
    assertThat(host.inNamespace(name).run("ip", "link", "show")).contains("marker0");

    restarted.release(taskId);
    assertThat(ProcessNamespaces.exists(host, name)).isFalse();
    task.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
