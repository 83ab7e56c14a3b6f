package io.corral.worker.agent;

import io.corral.api.Task;

/**
 * One step of preparing a task that is the same for every backend, run by {@link TaskLifecycle} in
 * PREPARING, before the backend's own {@link TaskBackend#prepare}: this is where the network
 * namespace and veth of each network attachment, the task's resolv.conf (pointing at the node's DNS
 * server), its secret and config mounts and its health check get set up, written once for docker
 * and process tasks alike. Steps run in the order given to the lifecycle and are released in
 * reverse order when the task is removed. A failing step rejects the task.
 */
public interface TaskPreparer {

  /** Sets up this step's part of the task; throws with the reason the task is REJECTED for. */
  void prepare(Task task) throws TaskBackend.TaskException;

  /**
   * Undoes {@link #prepare} once the task is removed (also after a failed or partial prepare);
   * never throws.
   */
  default void release(String taskId) {}
}
