package io.corral.testcluster.bench;

import io.corral.api.TaskState;

/**
 * One task as an update poll saw it: its desired and observed state, and whether it was made from
 * the spec the service is being moved to.
 */
record UpdateTaskView(TaskState desired, TaskState state, boolean onNewSpec) {

  /** A task of the new spec that should run. */
  boolean isWanted() {
    return onNewSpec && desired == TaskState.RUNNING;
  }

  /** COMPLETE and every later state (SHUTDOWN, FAILED, REJECTED, ...): nothing runs any more. */
  boolean hasEnded() {
    return state.getNumber() >= TaskState.COMPLETE.getNumber();
  }
}
