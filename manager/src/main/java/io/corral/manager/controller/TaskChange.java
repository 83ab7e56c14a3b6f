package io.corral.manager.controller;

import io.corral.api.Service;
import io.corral.api.Task;

/**
 * One store write a controller decided on. Updates and deletes carry the object as it was read (its
 * meta.version), so the write fails if the object changed since the decision.
 */
public sealed interface TaskChange {

  /** Creates a new task. */
  record Create(Task task) implements TaskChange {}

  /** Replaces a task read at {@code task.meta.version} by this content. */
  record Update(Task task) implements TaskChange {}

  /** Deletes a task, if it is still at the version read. */
  record Delete(Task task) implements TaskChange {}

  /** Deletes a service marked for deletion, if it is unchanged and has no tasks left. */
  record DeleteService(Service service) implements TaskChange {}
}
