package io.corral.testcluster.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The host's network namespaces, through {@code ip netns}: list, add, delete, and what runs inside.
 */
public final class Namespaces {

  static final Duration IP_TIMEOUT = Duration.ofSeconds(30);

  /** How the nodes' network drivers name a task's namespace ({@code NamespaceProvider}). */
  static final String TASK_PREFIX = "corral-";

  private Namespaces() {}

  /** Names of every named network namespace on the host. */
  public static List<String> list() {
    // "ip netns list" prints "name (id: 3)" per namespace, or "name" for one without an id yet.
    return ip("netns", "list")
        .stdout()
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .map(l -> l.split("\\s+")[0])
        .toList();
  }

  public static boolean exists(String namespace) {
    return list().contains(namespace);
  }

  public static void add(String namespace) {
    ip("netns", "add", namespace);
  }

  /**
   * Kills every process inside {@code namespace} and deletes it. A namespace whose processes live
   * on does not go away when its name is deleted: they would keep its interfaces and run on,
   * unseen.
   */
  public static void delete(String namespace) {
    if (!exists(namespace)) {
      return;
    }
    List<String> pids =
        ip("netns", "pids", namespace)
            .stdout()
            .lines()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    for (String pid : pids) {
      ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
    }
    CommandResult r = Shell.run(List.of("ip", "netns", "delete", namespace), IP_TIMEOUT);
    if (!r.ok() && exists(namespace)) {
      throw new CommandFailedException("cannot delete namespace " + namespace, r);
    }
  }

  /**
   * Deletes the task namespaces (named {@code corral-<task id>} by the nodes' network drivers) that
   * no process holds any more: those of tasks whose daemons were killed before they could release
   * them. A namespace being prepared has no process yet either, so call this only once the nodes'
   * daemons are dead.
   *
   * @return the names deleted
   */
  public static List<String> deleteUnusedTaskNamespaces() {
    List<String> deleted = new ArrayList<>();
    for (String ns : list()) {
      if (!ns.startsWith(TASK_PREFIX)) {
        continue;
      }
      // Names mounted in another mount namespace cannot be read from here: leave them.
      CommandResult pids = Shell.run(List.of("ip", "netns", "pids", ns), IP_TIMEOUT);
      if (pids.ok()
          && pids.stdout().isBlank()
          && Shell.run(List.of("ip", "netns", "delete", ns), IP_TIMEOUT).ok()) {
        deleted.add(ns);
      }
    }
    return deleted;
  }

  /** The command line that runs {@code command} inside {@code namespace}. */
  public static List<String> inside(String namespace, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(command);
    return full;
  }

  /** Runs {@code ip ARGS} and throws with the command and its stderr if it fails. */
  static CommandResult ip(String... args) {
    List<String> cmd = new ArrayList<>(args.length + 1);
    cmd.add("ip");
    cmd.addAll(Arrays.asList(args));
    return Shell.check(cmd, IP_TIMEOUT);
  }
}
