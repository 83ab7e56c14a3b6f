package io.corral.manager.orchestrator.update;

import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.common.ProtoTime;
import io.corral.manager.task.Slot;
import io.corral.manager.task.SlotKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One slot as a rollout sees it: its active tasks made from an older spec, and its active tasks
 * made from the service's current spec, newest last. The newest current task is the slot's
 * replacement; it is up once it runs (running means healthy for a task with a health check) on a
 * node that is not lost.
 */
record RolloutSlot(SlotKey key, List<Task> outdated, List<Task> current, boolean replacementUp) {

  static RolloutSlot of(Slot slot, long specVersion, boolean replacementAlive) {
    List<Task> active = slot.active();
    List<Task> outdated =
        active.stream().filter(t -> t.getSpecVersion().getIndex() != specVersion).toList();
    List<Task> current =
        active.stream().filter(t -> t.getSpecVersion().getIndex() == specVersion).toList();
    boolean up =
        !current.isEmpty()
            && replacementAlive
            && current.get(current.size() - 1).getStatus().getState() == TaskState.RUNNING;
    return new RolloutSlot(slot.key(), outdated, current, up);
  }

  /** Still runs an older spec and nothing replaces it yet. */
  boolean dirty() {
    return !outdated.isEmpty() && current.isEmpty();
  }

  Optional<Task> replacement() {
    return current.isEmpty() ? Optional.empty() : Optional.of(current.get(current.size() - 1));
  }

  /** Its replacement is up and older tasks remain: those are to be stopped now (start-first). */
  boolean retiring() {
    return replacementUp && !outdated.isEmpty();
  }

  /** When the replacement came up (the manager's clock), if it has. */
  Optional<Instant> upSince() {
    if (!replacementUp) {
      return Optional.empty();
    }
    Task t = replacement().orElseThrow();
    return Optional.of(
        ProtoTime.instant(
            t.hasRunningSince() ? t.getRunningSince() : t.getStatus().getTimestamp()));
  }
}
