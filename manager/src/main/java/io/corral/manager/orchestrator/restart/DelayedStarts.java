package io.corral.manager.orchestrator.restart;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.common.ProtoTime;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.controller.Planner;
import io.corral.manager.task.ServiceMode;
import io.corral.manager.task.SlotKey;
import io.corral.manager.task.TaskStates;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Starts delayed replacements: a task in desired state READY moves to its run state (RUNNING, or
 * COMPLETE for jobs) once its {@code start_after} time has passed. The time is in the store, so a
 * new leader honours the remaining delay; the plan asks to wake at the earliest pending start. A
 * task never starts while an older task of its slot is still stopping.
 */
public final class DelayedStarts implements Planner {

  @Override
  public Plan plan(ClusterSnapshot snap, Instant now) {
    Plan.Builder out = new Plan.Builder();
    Set<SlotKey> stopping = new HashSet<>();
    for (Task t : snap.tasks()) {
      // Told to stop but not stopped yet by an agent that still runs it: a replacement in its slot
      // waits (stop-first updates), so the two never run at once.
      if (!TaskStates.wantsToRun(t) && !snap.finished(t)) {
        stopping.add(SlotKey.of(t));
      }
    }
    for (Task t : snap.tasks()) {
      if (t.getDesiredState() != TaskState.READY || stopping.contains(SlotKey.of(t))) {
        continue;
      }
      Service service = snap.services().get(t.getServiceId());
      if (service == null) {
        continue;
      }
      Instant after = t.hasStartAfter() ? ProtoTime.instant(t.getStartAfter()) : Instant.EPOCH;
      if (now.isBefore(after)) {
        out.wakeAt(after);
      } else {
        out.add(
            new Change.Update(
                t.toBuilder().setDesiredState(ServiceMode.of(service).runState()).build()));
      }
    }
    return out.build();
  }
}
