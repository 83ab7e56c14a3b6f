package io.corral.cli.service.progress;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.cli.format.Ellipsis;
import io.corral.common.TerminalStates;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Docker's globalProgressUpdater: "overall progress: N out of M tasks" over the nodes that have a
 * task.
 */
final class GlobalProgress implements ProgressUpdater {

  private boolean initialized;
  private boolean done;

  @Override
  public boolean update(
      Service service, List<Task> tasks, Set<String> activeNodes, Consumer<ProgressLine> out) {
    Map<String, Task> byNode = tasksByNode(tasks);
    // The orchestrator creates the tasks of all eligible nodes at once, so their count is the
    // target.
    int nodeCount = byNode.size();
    if (!initialized) {
      if (nodeCount == 0) {
        out.accept(ProgressLine.text("overall progress", "waiting for new tasks"));
        return false;
      }
      out.accept(ReplicatedProgress.overall(0, nodeCount));
      initialized = true;
    }
    if (done
        && byNode.values().stream().anyMatch(t -> t.getStatus().getState() != TaskState.RUNNING)) {
      done = false;
    }
    int running = 0;
    for (Task task : byNode.values()) {
      if (!activeNodes.contains(task.getNodeId())) {
        continue;
      }
      if (!TerminalStates.isTerminal(task.getDesiredState())
          && task.getStatus().getState() == TaskState.RUNNING) {
        running++;
      }
      writeTask(task, nodeCount, out);
    }
    if (!done) {
      out.accept(ReplicatedProgress.overall(running, nodeCount));
      if (running == nodeCount) {
        done = true;
      }
    }
    return running == nodeCount;
  }

  private void writeTask(Task task, int nodeCount, Consumer<ProgressLine> out) {
    if (done || nodeCount > MAX_PROGRESS_BARS) {
      return;
    }
    String id = Ellipsis.id(task.getNodeId());
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

  /** Per node, the task with the lowest desired state, then the lowest observed state. */
  static Map<String, Task> tasksByNode(List<Task> tasks) {
    Map<String, Task> byNode = new TreeMap<>();
    for (Task task : tasks) {
      if (ProgressUpdater.numbered(task.getDesiredState()) == 0
          || ProgressUpdater.numbered(task.getStatus().getState()) == 0) {
        continue;
      }
      Task existing = byNode.get(task.getNodeId());
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
      byNode.put(task.getNodeId(), task);
    }
    return byNode;
  }
}
