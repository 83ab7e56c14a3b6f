package io.corral.worker.agent;

import io.corral.api.Task;
import java.util.Collection;

/**
 * The tasks the managers assigned to this node, as the agent knows them now, and notice of changes.
 */
public interface LocalTasks {

  /** A snapshot of the assigned tasks, whatever their state. */
  Collection<Task> assigned();

  /**
   * Calls {@code listener} after every change of the assigned tasks. It runs on the assignment
   * reader's thread, possibly under the owner's lock: it must only hand the work off, never block
   * or call back.
   */
  void onChange(Runnable listener);
}
