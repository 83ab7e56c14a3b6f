package io.corral.worker.network;

import io.corral.api.Task;
import io.corral.worker.agent.TaskBackend;

/**
 * Gives a task that is on overlay networks its own network namespace, named under {@code
 * /var/run/netns} so the network driver can plumb it with {@code ip netns exec}. Each executor
 * provides one: a fresh namespace for a host process, the namespace of a sandbox container for
 * docker (attached under the name with {@code ip netns attach}).
 */
public interface NamespaceProvider {

  /** The name a task's namespace has, whether or not it exists yet. */
  static String nameOf(String taskId) {
    return "corral-" + taskId;
  }

  /**
   * Creates the task's namespace, or finds it after a daemon restart, and returns its name; throws
   * with the reason the task is REJECTED for.
   */
  String provide(Task task) throws TaskBackend.TaskException;

  /** Removes the task's namespace and whatever holds it open; never throws. */
  void release(String taskId);
}
