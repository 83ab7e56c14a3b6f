package io.corral.manager.orchestrator.update;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.common.ProtoTime;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.task.ServiceMode;
import io.corral.manager.task.Slot;
import io.corral.manager.task.TaskFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where one service's rollout stands, read from the store alone (so a new leader resumes it): its
 * slots, which still run an older spec, which replacements are in flight, and which tasks of this
 * rollout failed. A rollout's tasks are those made from the current spec since the update status's
 * start time.
 */
record Rollout(
    List<RolloutSlot> slots, List<Task> rolloutTasks, Set<String> rolloutIds, Instant startedAt) {

  static Rollout of(Service service, ClusterSnapshot snap, Instant startedAt) {
    boolean perNode = ServiceMode.of(service).perNode();
    long version = TaskFactory.specVersion(service).getIndex();
    List<Task> own = new ArrayList<>();
    for (Task t : snap.tasksOf(service.getId())) {
      // Tasks left from another mode are their orchestrator's to remove.
      if ((t.getSlot() == 0) == perNode) {
        own.add(t);
      }
    }
    List<RolloutSlot> slots = new ArrayList<>();
    for (Slot slot : Slot.group(own).values()) {
      if (!slot.occupied()) {
        continue;
      }
      boolean alive = slot.newest().map(snap::alive).orElse(false);
      slots.add(RolloutSlot.of(slot, version, alive));
    }
    List<Task> rolloutTasks =
        own.stream()
            .filter(t -> t.getSpecVersion().getIndex() == version)
            .filter(t -> !ProtoTime.instant(t.getMeta().getCreatedAt()).isBefore(startedAt))
            .sorted(Slot.BY_AGE)
            .toList();
    Set<String> ids = new HashSet<>();
    rolloutTasks.forEach(t -> ids.add(t.getId()));
    return new Rollout(List.copyOf(slots), rolloutTasks, Set.copyOf(ids), startedAt);
  }

  List<RolloutSlot> dirty() {
    return slots.stream().filter(RolloutSlot::dirty).toList();
  }

  /** Slots that run (or are starting) the current spec. */
  int updated() {
    return (int) slots.stream().filter(s -> !s.current().isEmpty()).count();
  }

  /**
   * Slots whose replacement belongs to this rollout and is not up yet, or came up less than {@code
   * delay} ago: each holds one unit of the update's parallelism. {@code wake} collects when the
   * delays end.
   */
  int inFlight(Instant now, Duration delay, List<Instant> wake) {
    int n = 0;
    for (RolloutSlot s : slots) {
      Optional<Task> r = s.replacement().filter(t -> rolloutIds.contains(t.getId()));
      if (r.isEmpty()) {
        continue;
      }
      Optional<Instant> up = s.upSince();
      if (up.isEmpty()) {
        n++;
      } else if (up.get().plus(delay).isAfter(now)) {
        wake.add(up.get().plus(delay));
        n++;
      }
    }
    return n;
  }

  /** No slot runs an older spec and every replacement is up. */
  boolean settled() {
    return slots.stream()
        .allMatch(s -> s.outdated().isEmpty() && (s.current().isEmpty() || s.replacementUp()));
  }

  /** When the last of this rollout's replacements came up ({@code startedAt} if none did). */
  Instant lastUp() {
    return slots.stream()
        .filter(s -> s.replacement().filter(t -> rolloutIds.contains(t.getId())).isPresent())
        .flatMap(s -> s.upSince().stream())
        .max(Comparator.naturalOrder())
        .orElse(startedAt);
  }

  /**
   * This rollout's tasks that ended by themselves (failed, rejected, or exited while they should
   * have kept running) within {@code window} of coming up, oldest first; a task that never came up
   * always counts. Without a window, any early end counts.
   */
  List<Task> failures(Optional<Duration> window) {
    return rolloutTasks.stream().filter(t -> endedEarly(t, window)).toList();
  }

  private static boolean endedEarly(Task t, Optional<Duration> window) {
    TaskState s = t.getStatus().getState();
    if (s != TaskState.FAILED && s != TaskState.REJECTED && s != TaskState.COMPLETE) {
      return false;
    }
    if (window.isEmpty() || !t.hasRunningSince()) {
      return true;
    }
    Instant ended =
        ProtoTime.instant(
            t.getStatus().hasAppliedAt()
                ? t.getStatus().getAppliedAt()
                : t.getStatus().getTimestamp());
    return !ended.isAfter(ProtoTime.instant(t.getRunningSince()).plus(window.get()));
  }
}
