package io.corral.manager.task;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a job's tasks by job iteration: only the current run counts; unfinished tasks of older
 * runs stop.
 */
public final class JobIterations {

  private JobIterations() {}

  static long current(Service service) {
    return service.getJobStatus().getJobIteration().getIndex();
  }

  public static boolean isCurrent(Service service, Task task) {
    return task.getJobIteration().getIndex() == current(service);
  }

  /** The tasks of the current iteration; stops still-running tasks of older ones in {@code out}. */
  public static List<Task> currentTasks(
      Service service, List<Task> tasks, Instant now, Plan.Builder out) {
    List<Task> current = new ArrayList<>();
    for (Task t : tasks) {
      if (isCurrent(service, t)) {
        current.add(t);
      } else if (TaskStates.wantsToRun(t) && t.getStatus().getState() != TaskState.COMPLETE) {
        out.add(
            new Change.Update(
                TaskStates.stop(t, TaskState.SHUTDOWN, now, "job iteration replaced")));
      }
    }
    return current;
  }
}
