package io.corral.manager.task;

import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.common.ProtoTime;
import io.corral.common.TerminalStates;
import java.time.Instant;

/** Pure predicates and transitions on task states that every controller shares. */
public final class TaskStates {

  private TaskStates() {}

  /**
   * The managers still want the task to run (desired READY, RUNNING, or COMPLETE for jobs); such a
   * task holds its slot. SHUTDOWN and REMOVE release it.
   */
  public static boolean wantsToRun(Task task) {
    return task.getDesiredStateValue() < TaskState.SHUTDOWN_VALUE;
  }

  /**
   * An agent has been told about the task (the scheduler gave it a node and moved it to ASSIGNED).
   */
  public static boolean reachedAgent(Task task) {
    return task.getStatus().getStateValue() >= TaskState.ASSIGNED_VALUE;
  }

  /**
   * The task with a higher desired state. A task that never reached an agent is also moved to
   * status SHUTDOWN at once, because no agent will ever report on it; the store's version check
   * makes this safe against a scheduler assigning it at the same moment.
   */
  public static Task stop(Task task, TaskState desired, Instant now, String why) {
    Task.Builder b = task.toBuilder().setDesiredState(desired);
    if (!reachedAgent(task) && !TerminalStates.isTerminal(task.getStatus().getState())) {
      b.getStatusBuilder()
          .setState(TaskState.SHUTDOWN)
          .setMessage(why)
          .setErr("")
          .setTimestamp(ProtoTime.timestamp(now));
    }
    return b.build();
  }
}
