package io.corral.cli.service.progress;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.common.TerminalStates;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Docker's replicatedProgressUpdater: "overall progress: N out of R tasks" and one line per slot.
 */
final class ReplicatedProgress implements ProgressUpdater {

  private final Map<Long, Integer> slotMap = new HashMap<>();
  private boolean initialized;
  private boolean done;

  @Override
  public boolean update(
      Service service, List<Task> tasks, Set<String> activeNodes, Consumer<ProgressLine> out) {
    long replicas = service.getSpec().getReplicated().getReplicas();
    if (!initialized) {
      out.accept(overall(0, replicas));
      if (replicas <= MAX_PROGRESS_BARS) {
        for (long i = 1; i <= replicas; i++) {
          out.accept(ProgressLine.text(i + "/" + replicas, " "));
        }
      }
      initialized = true;
    }
    Map<Long, Task> bySlot = tasksBySlot(tasks, activeNodes);
    if (done
        && bySlot.values().stream().anyMatch(t -> t.getStatus().getState() != TaskState.RUNNING)) {
      done = false;
    }
    long running = 0;
    for (Task task : bySlot.values()) {
      int mapped = slotMap.computeIfAbsent(task.getSlot(), s -> slotMap.size() + 1);
      if (!TerminalStates.isTerminal(task.getDesiredState())
          && task.getStatus().getState() == TaskState.RUNNING) {
        running++;
      }
      writeTask(task, mapped, replicas, out);
    }
    if (!done) {
      out.accept(overall(running, replicas));
      if (running == replicas) {
        done = true;
      }
    }
    return running == replicas;
  }

  static ProgressLine overall(long numerator, long denominator) {
    return ProgressLine.text("overall progress", numerator + " out of " + denominator + " tasks");
  }

  private void writeTask(Task task, int mapped, long replicas, Consumer<ProgressLine> out) {
    if (done || replicas > MAX_PROGRESS_BARS || mapped > replicas) {
      return;
    }
    String id = mapped + "/" + replicas;
    if (!task.getStatus().getErr().isEmpty()) {
      out.accept(ProgressLine.text(id, ProgressUpdater.truncError(task.getStatus().getErr())));
      return;
    }
    if (!TerminalStates.isTerminal(task.getDesiredState())
        && !TerminalStates.isTerminal(task.getStatus().getState())) {
      out.accept(
          new ProgressLine(
              id,
              ProgressUpdater.paddedState(task.getStatus().getState()),
              ProgressUpdater.numbered(task.getStatus().getState()),
              9));
    }
  }

  /**
   * The task shown for each slot: among several, the one with the lowest desired state, then the
   * lowest observed state (a restarting slot shows its new task); tasks on down nodes are skipped.
   */
  static Map<Long, Task> tasksBySlot(List<Task> tasks, Set<String> activeNodes) {
    Map<Long, Task> bySlot = new TreeMap<>();
    for (Task task : tasks) {
      if (ProgressUpdater.numbered(task.getDesiredState()) == 0
          || ProgressUpdater.numbered(task.getStatus().getState()) == 0) {
        continue;
      }
      Task existing = bySlot.get(task.getSlot());
      if (existing != null) {
        int existingDesired = ProgressUpdater.numbered(existing.getDesiredState());
        int desired = ProgressUpdater.numbered(task.getDesiredState());
        if (existingDesired < desired) {
          continue;
        }
        if (existingDesired == desired
            && ProgressUpdater.numbered(existing.getStatus().getState())
                <= ProgressUpdater.numbered(task.getStatus().getState())) {
          continue;
        }
      }
      if (!task.getNodeId().isEmpty() && !activeNodes.contains(task.getNodeId())) {
        continue;
      }
      bySlot.put(task.getSlot(), task);
    }
    return new LinkedHashMap<>(bySlot);
  }
}
