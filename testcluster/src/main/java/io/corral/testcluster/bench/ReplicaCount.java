package io.corral.testcluster.bench;

import java.util.Collection;

/**
 * What one poll of a service's tasks found: tasks that should run, those of them that do, and tasks
 * that should not run but have not ended yet (scaled away, still shutting down).
 */
record ReplicaCount(int desiredRunning, int running, int stopping) {

  static final ReplicaCount NONE = new ReplicaCount(0, 0, 0);

  static ReplicaCount of(Collection<TaskObservation> tasks) {
    int desired = 0;
    int running = 0;
    int stopping = 0;
    for (TaskObservation t : tasks) {
      if (t.desired() == io.corral.api.TaskState.RUNNING) {
        desired++;
      }
      if (t.isRunningAsDesired()) {
        running++;
      }
      if (t.isStopping()) {
        stopping++;
      }
    }
    return new ReplicaCount(desired, running, stopping);
  }

  /** Exactly {@code replicas} tasks should run, all of them run, and every other task has ended. */
  boolean convergedTo(int replicas) {
    return desiredRunning == replicas && running == replicas && stopping == 0;
  }

  @Override
  public String toString() {
    return desiredRunning
        + " desired running, "
        + running
        + " running, "
        + stopping
        + " still stopping";
  }
}
