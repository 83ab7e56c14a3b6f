package io.corral.manager.task;

import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.Version;
import io.corral.common.TerminalStates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The tasks of one slot, oldest first, and what they say about the slot. A slot is
 * <em>occupied</em> while some task in it still wants to run; otherwise its newest task says why it
 * is empty: the restart supervisor gave up on it (stays empty until the service's spec changes), it
 * was scaled away (desired REMOVE), or it was simply shut down (drain, constraints, node down) and
 * is <em>vacant</em>: its orchestrator refills it.
 */
public record Slot(SlotKey key, List<Task> tasks) {

  /** Oldest first: by creation time in the store, then id (only to be total). */
  public static final Comparator<Task> BY_AGE =
      Comparator.<Task>comparingLong(t -> t.getMeta().getCreatedAt().getSeconds())
          .thenComparingInt(t -> t.getMeta().getCreatedAt().getNanos())
          .thenComparing(Task::getId);

  public Slot {
    tasks = tasks.stream().sorted(BY_AGE).toList();
  }

  /** The slots the tasks fall in, ordered by slot number, then node id. */
  public static Map<SlotKey, Slot> group(Collection<Task> tasks) {
    Map<SlotKey, List<Task>> by = tasks.stream().collect(Collectors.groupingBy(SlotKey::of));
    Map<SlotKey, Slot> out = new LinkedHashMap<>();
    by.keySet().stream()
        .sorted(Comparator.comparingLong(SlotKey::slot).thenComparing(SlotKey::nodeId))
        .forEach(k -> out.put(k, new Slot(k, by.get(k))));
    return out;
  }

  /** Tasks that still want to run (desired READY, RUNNING or COMPLETE). */
  public List<Task> active() {
    return tasks.stream().filter(TaskStates::wantsToRun).toList();
  }

  public boolean occupied() {
    return tasks.stream().anyMatch(TaskStates::wantsToRun);
  }

  public Optional<Task> newest() {
    return tasks.isEmpty() ? Optional.empty() : Optional.of(tasks.get(tasks.size() - 1));
  }

  /** The supervisor gave up on this slot under the given spec version. */
  public boolean gaveUp(Version specVersion) {
    return !occupied()
        && newest()
            .filter(t -> !t.getNoRestartReason().isEmpty())
            .filter(t -> t.getSpecVersion().getIndex() == specVersion.getIndex())
            .isPresent();
  }

  /** Scaled away: its newest task was told to go away for good. */
  public boolean removed() {
    return !occupied() && newest().filter(t -> t.getDesiredState() == TaskState.REMOVE).isPresent();
  }

  /** Empty without a reason to stay empty: the slot's orchestrator should put a new task in it. */
  public boolean vacant(Version specVersion) {
    return !occupied() && !gaveUp(specVersion) && !removed();
  }

  /** A task of this slot that ran to completion (jobs). */
  public boolean completed() {
    return tasks.stream().anyMatch(t -> t.getStatus().getState() == TaskState.COMPLETE);
  }

  /**
   * Active tasks beyond one per spec version: never expected, but if a race (two leaders briefly)
   * produced them, all but the best one (alive first, then furthest along, then newest) are to be
   * shut down. Tasks of different spec versions in one slot belong to a rolling update and are left
   * to the update supervisor.
   */
  public List<Task> duplicates(Predicate<Task> alive) {
    List<Task> extra = new ArrayList<>();
    Map<Long, List<Task>> byVersion =
        active().stream().collect(Collectors.groupingBy(t -> t.getSpecVersion().getIndex()));
    Comparator<Task> best =
        Comparator.<Task, Boolean>comparing(alive::test)
            .thenComparingInt(
                t ->
                    TerminalStates.isTerminal(t.getStatus().getState())
                        ? -1
                        : t.getStatus().getStateValue())
            .thenComparing(BY_AGE);
    for (List<Task> same : byVersion.values()) {
      if (same.size() > 1) {
        Task keep = same.stream().max(best).orElseThrow();
        same.stream().filter(t -> t != keep).forEach(extra::add);
      }
    }
    extra.sort(BY_AGE);
    return extra;
  }
}
