package io.corral.manager.orchestrator.reaper;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.controller.Planner;
import io.corral.manager.task.Slot;
import io.corral.manager.task.TaskStates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The task reaper's decisions. Keeps at most task_history_retention_limit finished tasks per slot
 * (per node for global services; negative = keep all), deleting the oldest; deletes scaled-away
 * tasks (desired REMOVE) and the history of slots scaled away, once finished; for a removed service
 * (deleted by the API, which has already told its running tasks to go) tells any task left to go
 * (desired REMOVE) and deletes them once finished.
 *
 * <p>A task is finished when it wants to run no more and no agent runs it: terminal, never
 * assigned, or on a node that is down or gone (when such a node returns, its agent no longer finds
 * the task in its assignments and stops it). The newest task of a slot given up on is never
 * deleted: it is the record that keeps the slot empty.
 */
public final class TaskReaper implements Planner {

  /** Oldest first, by the time of the last status, as swarmkit does. */
  private static final Comparator<Task> BY_STATUS_TIME =
      Comparator.<Task>comparingLong(t -> t.getStatus().getTimestamp().getSeconds())
          .thenComparingInt(t -> t.getStatus().getTimestamp().getNanos())
          .thenComparing(Slot.BY_AGE);

  @Override
  public Plan plan(ClusterSnapshot snap, Instant now) {
    Plan.Builder out = new Plan.Builder();
    long limit = snap.taskHistoryLimit();
    for (Map.Entry<String, List<Task>> e : snap.tasksByService().entrySet()) {
      Service service = snap.services().get(e.getKey());
      if (service == null) {
        reapRemovedService(e.getValue(), snap, now, out);
      } else {
        reapHistory(e.getValue(), limit, snap, out);
      }
    }
    return out.build();
  }

  private static void reapRemovedService(
      List<Task> tasks, ClusterSnapshot snap, Instant now, Plan.Builder out) {
    for (Task t : tasks) {
      if (snap.finished(t)) {
        out.add(new Change.Delete(t));
      } else if (t.getDesiredStateValue() < TaskState.REMOVE_VALUE) {
        Task stopped = TaskStates.stop(t, TaskState.REMOVE, now, "service removed");
        // A task that never reached an agent is finished as soon as it is stopped.
        out.add(snap.finished(stopped) ? new Change.Delete(t) : new Change.Update(stopped));
      }
    }
  }

  private static void reapHistory(
      List<Task> tasks, long limit, ClusterSnapshot snap, Plan.Builder out) {
    for (Slot slot : Slot.group(tasks).values()) {
      Task newest = slot.newest().orElseThrow();
      List<Task> history = new ArrayList<>();
      for (Task t : slot.tasks()) {
        if (!snap.finished(t)) {
          continue;
        }
        if (t.getDesiredState() == TaskState.REMOVE || slot.removed()) {
          // Scaled away: the slot is gone, and its history with it.
          out.add(new Change.Delete(t));
        } else {
          history.add(t);
        }
      }
      if (limit < 0 || history.size() <= limit) {
        continue;
      }
      long excess = history.size() - limit;
      history.sort(BY_STATUS_TIME);
      for (Task t : history) {
        if (excess <= 0) {
          break;
        }
        if (t == newest && !t.getNoRestartReason().isEmpty()) {
          continue;
        }
        out.add(new Change.Delete(t));
        excess--;
      }
    }
  }
}
