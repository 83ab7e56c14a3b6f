package io.corral.manager.orchestrator.job;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.Version;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.controller.Planner;
import io.corral.manager.task.JobIterations;
import io.corral.manager.task.JobLimits;
import io.corral.manager.task.RestartHistory;
import io.corral.manager.task.ServiceMode;
import io.corral.manager.task.Slot;
import io.corral.manager.task.SlotKey;
import io.corral.manager.task.TaskFactory;
import io.corral.manager.task.TaskStates;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The replicated-job orchestrator's decisions: slots 1..total_completions, each done once one of
 * its tasks of the current iteration completed; at most max_concurrent slots run at once; free
 * slots start lowest first. Completed tasks are never restarted; failed ones are the restart
 * supervisor's (same slot).
 */
public final class ReplicatedJobPlanner implements Planner {

  @Override
  public Plan plan(ClusterSnapshot snapshot, Instant now) {
    Plan.Builder out = new Plan.Builder();
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    for (Service s : snapshot.services().values()) {
      if (ServiceMode.of(s) == ServiceMode.REPLICATED_JOB) {
        planService(s, snapshot, now, clock, out);
      }
    }
    return out.build();
  }

  private static void planService(
      Service service, ClusterSnapshot snap, Instant now, Clock clock, Plan.Builder out) {
    JobLimits limits = JobLimits.of(service.getSpec().getReplicatedJob());
    Version version = TaskFactory.specVersion(service);
    List<Task> numbered = new ArrayList<>();
    for (Task t : JobIterations.currentTasks(service, snap.tasksOf(service.getId()), now, out)) {
      if (t.getSlot() > 0) {
        numbered.add(t);
      } else if (TaskStates.wantsToRun(t)) {
        out.add(
            new Change.Update(TaskStates.stop(t, TaskState.REMOVE, now, "service mode changed")));
      }
    }
    Predicate<Task> alive = snap::alive;
    Map<SlotKey, Slot> slots = Slot.group(numbered);
    long running = 0;
    for (Slot slot : slots.values()) {
      for (Task dup : slot.duplicates(alive)) {
        out.add(
            new Change.Update(
                TaskStates.stop(dup, TaskState.SHUTDOWN, now, "duplicate task in its slot")));
      }
      if (!slot.completed() && slot.occupied()) {
        running++;
      }
    }
    long room = limits.concurrent() - running;
    for (long n = 1; n <= limits.total() && room > 0; n++) {
      Slot slot = slots.get(SlotKey.numbered(service.getId(), n));
      if (slot != null && (slot.completed() || slot.occupied() || slot.gaveUp(version))) {
        continue;
      }
      Task t = TaskFactory.newTask(service, n, clock);
      Task withDefaults = snap.cluster().map(c -> TaskFactory.withClusterDefaults(t, c)).orElse(t);
      Task task =
          slot == null
              ? withDefaults
              : slot.newest()
                  .filter(x -> x.getSpecVersion().getIndex() == version.getIndex())
                  .map(x -> RestartHistory.of(x).applyTo(withDefaults))
                  .orElse(withDefaults);
      out.add(new Change.Create(task));
      room--;
    }
  }
}
