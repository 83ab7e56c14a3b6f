package io.corral.worker.network;

import io.corral.api.Task;
import io.corral.worker.agent.TaskBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The process executor's task namespaces: a named namespace per task ({@code ip netns add}), which
 * the task's command then enters with {@code ip netns exec}. One found existing (a daemon restart)
 * is reused, since its task may still run in it.
 *
 * <p>A name is a bind mount under {@code /run/netns}. A daemon that itself runs under {@code ip
 * netns exec} (testcluster's nodes) has a mount namespace of its own, which dies with it: names
 * mounted there would vanish at a restart while their tasks run on. So names are made and removed
 * in PID 1's mount namespace ({@code nsenter -t 1 -m}) when it is not the daemon's; they propagate
 * from there into the daemon's (a slave of it). Where PID 1's cannot be entered, the names live in
 * the daemon's own.
 */
public final class ProcessNamespaces implements NamespaceProvider {

  private final Commands cmd;
  private final Commands mounts;
  private final Function<String, OptionalInt> taskPid;

  /** Namespaces for tasks that are never adopted by pid (tests). */
  public ProcessNamespaces(Commands cmd) {
    this(cmd, id -> OptionalInt.empty());
  }

  /**
   * @param taskPid the pid of a task's running process, through which a namespace whose name was
   *     lost (mounted in a previous daemon's mount namespace) is named again
   */
  public ProcessNamespaces(Commands cmd, Function<String, OptionalInt> taskPid) {
    this.cmd = cmd;
    this.taskPid = taskPid;
    Commands init = withInitMounts(cmd);
    this.mounts = sameMountNamespaceAsInit(cmd) || !init.attempt("true").ok() ? cmd : init;
  }

  private static boolean sameMountNamespaceAsInit(Commands cmd) {
    Commands.Result self = cmd.attempt("readlink", "/proc/self/ns/mnt");
    Commands.Result init = cmd.attempt("readlink", "/proc/1/ns/mnt");
    // Unreadable (no access to PID 1): keep to our own, which is right outside such setups.
    return !self.ok() || !init.ok() || self.stdout().strip().equals(init.stdout().strip());
  }

  private static Commands withInitMounts(Commands cmd) {
    List<String> p = new ArrayList<>(cmd.prefix());
    p.addAll(List.of("nsenter", "-t", "1", "-m", "--"));
    return Commands.prefixed(p);
  }

  @Override
  public String provide(Task task) throws TaskBackend.TaskException {
    String name = NamespaceProvider.nameOf(task.getId());
    if (exists(cmd, name)) {
      if (usable(name)) {
        return name;
      }
      // A name left by a previous daemon whose mount namespace is gone: an empty file. The task's
      // process, if it still runs, still holds the namespace itself.
      mounts.attempt("ip", "netns", "del", name);
      OptionalInt pid = taskPid.apply(task.getId());
      if (pid.isPresent()) {
        mounts.run("ip", "netns", "attach", name, Integer.toString(pid.getAsInt()));
        return name;
      }
    }
    mounts.run("ip", "netns", "add", name);
    return name;
  }

  @Override
  public void release(String taskId) {
    String name = NamespaceProvider.nameOf(taskId);
    if (exists(cmd, name)) {
      mounts.attempt("ip", "netns", "del", name);
    }
  }

  private boolean usable(String name) {
    return cmd.inNamespace(name).attempt("true").ok();
  }

  /** Whether a namespace of that name exists under /var/run/netns. */
  public static boolean exists(Commands cmd, String name) {
    Commands.Result r = cmd.attempt("ip", "netns", "list");
    return r.ok()
        && Arrays.stream(r.stdout().split("\n"))
            .anyMatch(l -> l.trim().split("\\s+")[0].equals(name));
  }
}
