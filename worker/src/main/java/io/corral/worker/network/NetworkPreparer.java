package io.corral.worker.network;

import io.corral.api.NetworkAttachment;
import io.corral.api.Task;
import io.corral.worker.agent.TaskBackend;
import io.corral.worker.agent.TaskPreparer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plumbs a task's overlay networks before it starts: its namespace (from the executor's {@link
 * NamespaceProvider}), the network's devices on the node when it is the first local task on it, a
 * veth per attachment (host end on the network's bridge, task end {@code eth0}, {@code eth1}… with
 * the address, its MAC and the overlay MTU), the default route via the first non-internal network,
 * its resolv.conf and its VIP table. Release undoes it, and removes a network's devices with its
 * last local task. What each task was given is kept under the state directory, so that a restarted
 * daemon adopts (not recreates) what still runs. One task at a time.
 */
public final class NetworkPreparer implements TaskPreparer {

  private static final Logger LOG = LoggerFactory.getLogger(NetworkPreparer.class);
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private final Commands cmd;
  private final NetworkDriver driver;
  private final NamespaceProvider namespaces;
  private final Peers peers;
  private final VipBalancer vips;
  private final Path stateDir;
  private final Path netnsEtc;

  /** The networks of each task this node plumbed, by task id. */
  private final Map<String, List<OverlayNetwork>> tasks = new LinkedHashMap<>();

  /**
   * @param stateDir where each task's attachments are kept ({@code <dataDir>/networks})
   * @param netnsEtc where {@code ip netns exec} finds per-namespace files ({@code /etc/netns})
   */
  public NetworkPreparer(
      Commands cmd,
      NetworkDriver driver,
      NamespaceProvider namespaces,
      Peers peers,
      VipBalancer vips,
      Path stateDir,
      Path netnsEtc) {
    this.cmd = cmd;
    this.driver = driver;
    this.namespaces = namespaces;
    this.peers = peers;
    this.vips = vips;
    this.stateDir = stateDir;
    this.netnsEtc = netnsEtc;
  }

  /** The host end of a task's veth for its {@code index}th network (at most 15 characters). */
  public static String hostVeth(String taskId, int index) {
    return "cv" + digest(taskId) + index;
  }

  /** The task end's name until it is in the task's namespace and renamed {@code eth<index>}. */
  static String taskVeth(String taskId, int index) {
    return "ct" + digest(taskId) + index;
  }

  private static String digest(String taskId) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void prepare(Task task) throws TaskBackend.TaskException {
    if (task.getNetworksCount() == 0) {
      return;
    }
    if (task.getNetworksCount() > 10) {
      throw new TaskBackend.TaskException(
          "a task can be on at most 10 networks; this one is on " + task.getNetworksCount());
    }
    List<OverlayNetwork> nets = new ArrayList<>();
    for (NetworkAttachment a : task.getNetworksList()) {
      nets.add(OverlayNetwork.of(a.getNetwork()));
      if (a.getAddressesCount() == 0) {
        throw new TaskBackend.TaskException(
            "network \"" + nets.get(nets.size() - 1).name() + "\": the task has no address on it");
      }
      try {
        Ipv4.parseCidr(a.getAddresses(0));
      } catch (IllegalArgumentException e) {
        throw new TaskBackend.TaskException(
            "network \"" + nets.get(nets.size() - 1).name() + "\": address " + e.getMessage());
      }
    }
    String id = task.getId();
    if (!TASK_ID.matcher(id).matches()) {
      throw new TaskBackend.TaskException("invalid task id \"" + id + "\"");
    }
    // Kept before anything is created, so that a partial prepare is released (or adopted) whole.
    tasks.put(id, nets);
    save(task);
    String ns = namespaces.provide(task);
    Commands in = cmd.inNamespace(ns);
    String m = Integer.toString(driver.mtu());
    String defaultVia = null;
    for (int i = 0; i < nets.size(); i++) {
      OverlayNetwork n = nets.get(i);
      String address = task.getNetworks(i).getAddresses(0);
      driver.ensure(n);
      peers.networkUp(n, true);
      String eth = "eth" + i;
      if (!in.attempt("ip", "link", "show", "dev", eth).ok()) {
        String host = hostVeth(id, i);
        String peer = taskVeth(id, i);
        cmd.attempt("ip", "link", "del", host); // what a prepare cut short left
        cmd.run(
            "ip", "link", "add", host, "mtu", m, "type", "veth", "peer", "name", peer, "mtu", m);
        cmd.run("ip", "link", "set", host, "master", n.bridge(), "up");
        cmd.run("ip", "link", "set", peer, "netns", ns);
        in.run("ip", "link", "set", peer, "name", eth);
        in.run("ip", "link", "set", eth, "address", Ipv4.macOf(address), "mtu", m);
      }
      in.run("ip", "addr", "replace", address, "dev", eth);
      in.run("ip", "link", "set", eth, "up");
      if (defaultVia == null && !n.internal()) {
        defaultVia = n.gateway();
        in.run("ip", "route", "replace", "default", "via", n.gateway(), "dev", eth);
      }
    }
    in.run("ip", "link", "set", "lo", "up");
    writeResolvConf(ns, nets.get(0).gateway(), task);
    vips.attach(id, ns, networkIds(nets));
    LOG.info("task {}: namespace {} on {} network(s)", id, ns, nets.size());
  }

  @Override
  public synchronized void release(String taskId) {
    List<OverlayNetwork> nets = tasks.remove(taskId);
    if (nets == null) {
      return;
    }
    vips.detach(taskId);
    for (int i = 0; i < nets.size(); i++) {
      cmd.attempt("ip", "link", "del", hostVeth(taskId, i));
    }
    namespaces.release(taskId);
    String ns = NamespaceProvider.nameOf(taskId);
    try {
      Files.deleteIfExists(netnsEtc.resolve(ns).resolve("resolv.conf"));
      Files.deleteIfExists(netnsEtc.resolve(ns));
      Files.deleteIfExists(recordOf(taskId));
    } catch (IOException e) {
      LOG.warn("cannot delete the network files of task {}: {}", taskId, e.toString());
    }
    for (OverlayNetwork n : nets) {
      if (!stillUsed(n.id()) && driver.isUp(n.id())) {
        peers.networkDown(n.id());
        driver.remove(n);
      }
    }
  }

  /** Releases every task this node plumbed (`swarm leave`: its tasks are removed at once). */
  public synchronized void releaseAll() {
    new ArrayList<>(tasks.keySet()).forEach(this::release);
  }

  /**
   * After a restart: the tasks whose namespace still exists are followed again, their networks'
   * devices kept (or recreated when missing) and their VIP tables left as they are until the
   * endpoint table changes; what is left of the others is removed.
   */
  public synchronized void adopt() {
    List<Task> found = new ArrayList<>();
    if (Files.isDirectory(stateDir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir, "*.pb")) {
        for (Path f : files) {
          try {
            found.add(Task.parseFrom(Files.readAllBytes(f)));
          } catch (IOException e) {
            LOG.warn("ignoring unreadable network record {}: {}", f, e.toString());
          }
        }
      } catch (IOException e) {
        LOG.warn("cannot list the network records in {}: {}", stateDir, e.toString());
      }
    }
    List<String> gone = new ArrayList<>();
    for (Task t : found) {
      List<OverlayNetwork> nets = new ArrayList<>();
      try {
        for (NetworkAttachment a : t.getNetworksList()) {
          nets.add(OverlayNetwork.of(a.getNetwork()));
        }
      } catch (TaskBackend.TaskException e) {
        LOG.warn("ignoring the network record of task {}: {}", t.getId(), e.getMessage());
        continue;
      }
      tasks.put(t.getId(), nets);
      String ns;
      try {
        // Finds the namespace (named again through the task's process if its name was lost), or
        // makes an empty one: then the task cannot be running in it, and what is left goes.
        ns = namespaces.provide(t);
      } catch (TaskBackend.TaskException e) {
        LOG.warn("cannot find the namespace of task {}: {}", t.getId(), e.getMessage());
        gone.add(t.getId());
        continue;
      }
      if (!cmd.inNamespace(ns).attempt("ip", "link", "show", "dev", "eth0").ok()) {
        gone.add(t.getId());
        continue;
      }
      try {
        for (OverlayNetwork n : nets) {
          driver.ensure(n);
          peers.networkUp(n, false);
        }
        vips.adopt(t.getId(), ns, networkIds(nets));
        LOG.info("adopted the networks of task {} (namespace {})", t.getId(), ns);
      } catch (TaskBackend.TaskException e) {
        LOG.warn("cannot adopt the networks of task {}: {}", t.getId(), e.getMessage());
      }
    }
    gone.forEach(this::release);
  }

  private boolean stillUsed(String networkId) {
    return tasks.values().stream()
        .anyMatch(l -> l.stream().anyMatch(n -> n.id().equals(networkId)));
  }

  private static Set<String> networkIds(List<OverlayNetwork> nets) {
    Set<String> ids = new LinkedHashSet<>();
    nets.forEach(n -> ids.add(n.id()));
    return ids;
  }

  private void writeResolvConf(String ns, String gateway, Task task)
      throws TaskBackend.TaskException {
    Path dir = netnsEtc.resolve(ns);
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("resolv.conf.tmp");
      Files.writeString(
          tmp, ResolvConf.render(gateway, task.getSpec().getContainer().getDnsConfig()));
      Files.move(tmp, dir.resolve("resolv.conf"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TaskBackend.TaskException(
          "cannot write the resolv.conf of the task in " + dir + ": " + e.getMessage());
    }
  }

  private Path recordOf(String taskId) {
    return stateDir.resolve(taskId + ".pb");
  }

  /** Keeps what the task is attached to (its id and attachments only). */
  private void save(Task task) throws TaskBackend.TaskException {
    Task record =
        Task.newBuilder().setId(task.getId()).addAllNetworks(task.getNetworksList()).build();
    try {
      Files.createDirectories(stateDir);
      Path tmp = stateDir.resolve(task.getId() + ".pb.tmp");
      Files.write(tmp, record.toByteArray());
      Files.move(tmp, recordOf(task.getId()), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TaskBackend.TaskException(
          "cannot record the networks of the task under " + stateDir + ": " + e.getMessage());
    }
  }
}
