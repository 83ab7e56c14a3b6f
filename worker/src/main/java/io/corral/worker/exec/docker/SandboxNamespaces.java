package io.corral.worker.exec.docker;

import io.corral.api.Task;
import io.corral.worker.agent.TaskBackend.TaskException;
import io.corral.worker.network.Commands;
import io.corral.worker.network.NamespaceProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The docker executor's {@link NamespaceProvider}: a networked task's namespace is that of a
 * sandbox container created with network mode {@code none} before the task's container, which then
 * joins it ({@code container:SANDBOX}); so the task never runs before its network exists. The
 * namespace is named with {@code ip netns attach} for the network driver.
 *
 * <p>The sandbox runs the task's own image with the host's static busybox bind-mounted as its
 * {@code sleep}: that image is on the node whenever the task can run, so nothing is imported or
 * pulled and no extra image must be kept in step with the engine; the one requirement is a static
 * busybox on the host (Debian's busybox-static, which the setup scripts install).
 */
public final class SandboxNamespaces implements NamespaceProvider {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxNamespaces.class);

  public static final Path DEFAULT_BUSYBOX = Path.of("/bin/busybox");

  /** Where {@code ip netns} keeps names, and the per-namespace files it bind-mounts. */
  static final Path NETNS_DIR = Path.of("/var/run/netns");

  static final Path NETNS_ETC = Path.of("/etc/netns");

  private final DockerClient client;
  private final String nodeId;
  private final Path busybox;

  /** Runs {@code ip netns} where names outlive this daemon (see {@link #namingMounts}). */
  private final Commands mounts;

  public SandboxNamespaces(DockerClient client, String nodeId) {
    this(client, nodeId, Commands.local(), DEFAULT_BUSYBOX);
  }

  public SandboxNamespaces(DockerClient client, String nodeId, Commands cmd, Path busybox) {
    this.client = client;
    this.nodeId = nodeId;
    this.busybox = busybox;
    this.mounts = namingMounts(cmd);
  }

  /**
   * As the process executor's namespaces do: a daemon under {@code ip netns exec} (testcluster's
   * nodes) has a mount namespace of its own that dies with it, so names are mounted in PID 1's
   * ({@code nsenter -t 1 -m}), whence they propagate into the daemon's; else in the daemon's own.
   */
  private static Commands namingMounts(Commands cmd) {
    Commands.Result self = cmd.attempt("readlink", "/proc/self/ns/mnt");
    Commands.Result init = cmd.attempt("readlink", "/proc/1/ns/mnt");
    if (!self.ok() || !init.ok() || self.stdout().strip().equals(init.stdout().strip())) {
      return cmd;
    }
    List<String> prefix = new ArrayList<>(cmd.prefix());
    prefix.addAll(List.of("nsenter", "-t", "1", "-m", "--"));
    Commands inInit = Commands.prefixed(prefix);
    return inInit.attempt("true").ok() ? inInit : cmd;
  }

  /** The name of a task's sandbox container. */
  public static String containerName(String taskId) {
    return "corral-sandbox-" + taskId;
  }

  /** The resolv.conf the network driver writes for a task, mounted into its container. */
  public static Path resolvConf(String taskId) {
    return NETNS_ETC.resolve(NamespaceProvider.nameOf(taskId)).resolve("resolv.conf");
  }

  /**
   * Finds the task's running sandbox (after a daemon restart) or creates one, and names its
   * namespace. A sandbox that stopped is replaced: by a fresh one when the task's container does
   * not run, else by one that joins the running task's namespace, so the task keeps its addresses.
   */
  @Override
  public String provide(Task task) throws TaskException {
    String name = NamespaceProvider.nameOf(task.getId());
    String sandbox = containerName(task.getId());
    if (!Files.isExecutable(busybox)) {
      throw new TaskException(
          "the docker executor needs a static busybox at "
              + busybox
              + " for the network sandbox of a task on an overlay network: install Debian's "
              + "busybox-static (apt-get install busybox-static)");
    }
    try {
      Optional<ContainerState> existing = client.inspectContainer(sandbox);
      if (existing.isPresent() && !ours(existing.get().labels(), task.getId())) {
        throw new TaskException(
            "a container named "
                + sandbox
                + " that is not this node's sandbox of task "
                + task.getId()
                + " is in the way: remove it");
      }
      if (existing.isPresent() && existing.get().running()) {
        attach(name, existing.get().pid());
        return name;
      }
      existing.ifPresent(s -> client.removeContainer(s.id(), true));
      Optional<ContainerState> taskContainer = runningTaskContainer(task.getId());
      Map<String, Object> body;
      if (taskContainer.isPresent()) {
        body = ContainerConfigs.joiningSandboxBody(taskContainer.get(), busybox);
      } else if (task.getSpec().getContainer().getImage().isEmpty()) {
        // Only the networks are known (a record read after a restart): with no container of the
        // task running, there is nothing to hold.
        throw new TaskException(
            "task " + task.getId() + " has neither a sandbox nor a running container");
      } else {
        body = ContainerConfigs.sandboxBody(task, nodeId, busybox);
      }
      String id = client.createContainer(sandbox, body);
      client.startContainer(id);
      ContainerState started =
          client
              .inspectContainer(id)
              .orElseThrow(() -> new TaskException("sandbox container " + sandbox + " vanished"));
      if (!started.running() || started.pid() <= 0) {
        client.removeContainer(id, true);
        throw new TaskException(
            "the network sandbox of the task did not keep running (exit code "
                + started.exitCode()
                + (started.error().isEmpty() ? "" : ": " + started.error())
                + "): is "
                + busybox
                + " a static busybox (Debian's busybox-static)?");
      }
      attach(name, started.pid());
      LOG.info("sandbox {} of task {} holds network namespace {}", sandbox, task.getId(), name);
      return name;
    } catch (EngineException e) {
      throw new TaskException(
          "cannot create the network sandbox of the task: " + e.getMessage(), e);
    }
  }

  /** Removes the sandbox container and the namespace's name; never throws. */
  @Override
  public void release(String taskId) {
    try {
      client.removeContainer(containerName(taskId), true);
    } catch (RuntimeException e) {
      LOG.warn("could not remove sandbox of task {}: {}", taskId, e.getMessage());
    }
    String name = NamespaceProvider.nameOf(taskId);
    if (Files.exists(NETNS_DIR.resolve(name))) {
      try {
        ip("netns", "delete", name);
      } catch (TaskException e) {
        LOG.warn("could not delete network namespace {}: {}", name, e.getMessage());
      }
    }
  }

  /** Releases every sandbox of this node (swarm leave); returns how many there were. */
  public int releaseAll() {
    List<ContainerSummary> sandboxes =
        client.listContainers(
            Map.of(ContainerConfigs.LABEL_NODE_ID, nodeId, ContainerConfigs.LABEL_SANDBOX, "true"));
    for (ContainerSummary c : sandboxes) {
      release(c.labels().getOrDefault(ContainerConfigs.LABEL_TASK_ID, ""));
    }
    return sandboxes.size();
  }

  private boolean ours(Map<String, String> labels, String taskId) {
    return nodeId.equals(labels.get(ContainerConfigs.LABEL_NODE_ID))
        && taskId.equals(labels.get(ContainerConfigs.LABEL_TASK_ID))
        && "true".equals(labels.get(ContainerConfigs.LABEL_SANDBOX));
  }

  /** The task's own container when it runs (adopted after its sandbox stopped). */
  private Optional<ContainerState> runningTaskContainer(String taskId) {
    for (ContainerSummary c :
        client.listContainers(
            Map.of(
                ContainerConfigs.LABEL_NODE_ID, nodeId, ContainerConfigs.LABEL_TASK_ID, taskId))) {
      if (!c.labels().containsKey(ContainerConfigs.LABEL_SANDBOX) && "running".equals(c.state())) {
        return client.inspectContainer(c.id()).filter(ContainerState::running);
      }
    }
    return Optional.empty();
  }

  /**
   * Names the namespace of {@code pid}; a name already there is kept when it is that namespace, and
   * replaced when it is another (a sandbox re-created, or a name left over from a reboot).
   */
  private void attach(String name, int pid) throws TaskException {
    Path named = NETNS_DIR.resolve(name);
    if (Files.exists(named)) {
      if (sameNamespace(named, pid)) {
        return;
      }
      ip("netns", "delete", name);
    }
    ip("netns", "attach", name, Integer.toString(pid));
  }

  /** Whether the name {@code named} refers to the network namespace process {@code pid} is in. */
  static boolean sameNamespace(Path named, int pid) {
    try {
      // /proc/PID/ns/net reads "net:[INODE]"; a mounted name has that inode.
      String link =
          Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "net")).toString();
      long inode = Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
      return ((Number) Files.getAttribute(named, "unix:ino")).longValue() == inode;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private void ip(String... args) throws TaskException {
    List<String> argv = new ArrayList<>();
    argv.add("ip");
    argv.addAll(List.of(args));
    mounts.run(argv, null);
  }
}
