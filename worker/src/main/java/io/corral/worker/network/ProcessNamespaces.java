package io.corral.worker.network;

import io.corral.api.Task;
import io.corral.worker.agent.TaskBackend;
import java.util.Arrays;

/**
 * The process executor's task namespaces: a named namespace per task ({@code ip netns add}), which
 * the task's command then enters with {@code ip netns exec}. One found existing (a daemon restart)
 * is reused, since its task may still run in it.
 */
public final class ProcessNamespaces implements NamespaceProvider {

  private final Commands cmd;

  public ProcessNamespaces(Commands cmd) {
    this.cmd = cmd;
  }

  @Override
  public String provide(Task task) throws TaskBackend.TaskException {
    String name = NamespaceProvider.nameOf(task.getId());
    if (!exists(cmd, name)) {
      cmd.run("ip", "netns", "add", name);
    }
    return name;
  }

  @Override
  public void release(String taskId) {
    String name = NamespaceProvider.nameOf(taskId);
    if (exists(cmd, name)) {
      cmd.attempt("ip", "netns", "del", name);
    }
  }

  /** Whether a namespace of that name exists under /var/run/netns. */
  public static boolean exists(Commands cmd, String name) {
    Commands.Result r = cmd.attempt("ip", "netns", "list");
    return r.ok()
        && Arrays.stream(r.stdout().split("\n"))
            .anyMatch(l -> l.trim().split("\\s+")[0].equals(name));
  }
}
