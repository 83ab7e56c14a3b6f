package io.corral.testcluster.bench;

import io.corral.api.TaskState;
import java.util.Collection;

/**
 * What one poll of a service under update found: tasks of the new spec that should run, those of
 * them that run, and every other task (old spec, or replaced) that has not ended yet.
 */
record UpdateProgress(int wanted, int running, int unfinished) {

  static UpdateProgress of(Collection<UpdateTaskView> tasks) {
    int wanted = 0;
    int running = 0;
    int unfinished = 0;
    for (UpdateTaskView t : tasks) {
      if (t.isWanted()) {
        wanted++;
        if (t.state() == TaskState.RUNNING) {
          running++;
        }
      } else if (!t.hasEnded()) {
        unfinished++;
      }
    }
    return new UpdateProgress(wanted, running, unfinished);
  }

  /**
   * The update (or rollback) is over: exactly {@code replicas} tasks of the new spec should run,
   * all of them run, and every other task has ended.
   */
  boolean doneAt(int replicas) {
    return wanted == replicas && running == replicas && unfinished == 0;
  }

  @Override
  public String toString() {
    return wanted
        + " wanted on the new spec, "
        + running
        + " of them running, "
        + unfinished
        + " other task(s) not ended";
  }
}
