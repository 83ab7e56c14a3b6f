package io.corral.manager.task;

import com.google.protobuf.Timestamp;
import io.corral.api.Task;
import io.corral.api.TaskState;
import java.time.Instant;

/** Pure predicates and transitions on task states that every controller shares. */
public final class TaskStates {

  private TaskStates() {}

  /** COMPLETE and every later state: the task runs no more. */
  public static boolean isTerminal(TaskState state) {
    return state.getNumber() >= TaskState.COMPLETE_VALUE;
  }

  /**
   * The managers still want the task to run (desired READY, RUNNING, or COMPLETE for jobs); such a task
   * holds its slot. SHUTDOWN and REMOVE release it.
   */
  public static boolean wantsToRun(Task task) {
    return task.getDesiredStateValue() < TaskState.SHUTDOWN_VALUE;
  }

  /** An agent has been told about the task (the scheduler gave it a node and moved it to ASSIGNED). */
  public static boolean reachedAgent(Task task) {
    return task.getStatus().getStateValue() >= TaskState.ASSIGNED_VALUE;
  }

  /**
   * The task with a higher desired state. A task that never reached an agent is also moved to status
   * SHUTDOWN at once, because no agent will ever report on it; the store's version check makes this safe
   * against a scheduler assigning it at the same moment.
   */
  public static Task stop(Task task, TaskState desired, Instant now, String why) {
    Task.Builder b = task.toBuilder().setDesiredState(desired);
    if (!reachedAgent(task) && !isTerminal(task.getStatus().getState())) {
      b.getStatusBuilder().setState(TaskState.SHUTDOWN).setMessage(why).setErr("")
          .setTimestamp(timestamp(now));
    }
    return b.build();
  }

  /** The instant as a protobuf timestamp. */
  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  /** A protobuf timestamp as an instant (EPOCH when unset). */
  public static Instant instant(Timestamp ts) {
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }
}
