package io.corral.testcluster.bench;

import io.corral.api.Task;
import io.corral.api.TaskState;

/** One task as a convergence poll saw it: what it should be doing and what it reports. */
record TaskObservation(TaskState desired, TaskState state) {

  static TaskObservation of(Task task) {
    return new TaskObservation(task.getDesiredState(), task.getStatus().getState());
  }

  boolean isRunningAsDesired() {
    return desired == TaskState.RUNNING && state == TaskState.RUNNING;
  }

  /**
   * Not desired running but not yet ended: a task being shut down (or still starting) that will
   * have to stop.
   */
  boolean isStopping() {
    return desired != TaskState.RUNNING && !hasEnded();
  }

  /**
   * COMPLETE and every later state (SHUTDOWN, FAILED, REJECTED, ...) mean the process or container
   * is gone.
   */
  boolean hasEnded() {
    return state.getNumber() >= TaskState.COMPLETE.getNumber();
  }
}
