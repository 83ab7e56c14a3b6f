package io.corral.cli.service.progress;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.common.TerminalStates;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Docker's replicatedJobProgressUpdater: "job progress: C out of T complete", "active tasks: A out
 * of M tasks" and one line per slot of the job's current iteration; converged when every completion
 * is done.
 */
final class ReplicatedJobProgress implements ProgressUpdater {

  /** Bars of job tasks go one step further than RUNNING: to COMPLETE. */
  private static final int MAX_JOB_PROGRESS = 10;

  private final long concurrent;
  private final long total;
  private final long iteration;
  private final int progressDigits;
  private final int activeDigits;
  private boolean initialized;

  ReplicatedJobProgress(Service service) {
    this.concurrent = service.getSpec().getReplicatedJob().getMaxConcurrent();
    long t = service.getSpec().getReplicatedJob().getTotalCompletions();
    this.total = t == 0 ? concurrent : t;
    this.iteration = service.getJobStatus().getJobIteration().getIndex();
    this.progressDigits = Long.toString(total).length();
    this.activeDigits = Long.toString(concurrent).length();
  }

  @Override
  public boolean update(
      Service service, List<Task> tasks, Set<String> activeNodes, Consumer<ProgressLine> out) {
    if (!initialized) {
      overall(0, 0, out);
      if (total <= MAX_PROGRESS_BARS) {
        for (long i = 1; i <= total; i++) {
          out.accept(ProgressLine.text(i + "/" + total, " "));
        }
      }
      initialized = true;
    }
    Map<Long, Task> bySlot = new TreeMap<>();
    for (Task task : tasks) {
      if (task.getJobIteration().getIndex() != iteration
          || ProgressUpdater.numbered(task.getDesiredState()) == 0
          || ProgressUpdater.numbered(task.getStatus().getState()) == 0) {
        continue;
      }
      // Of several tasks in a slot, the one with the lower state (a retry in progress beats its
      // failed try).
      bySlot.merge(
          task.getSlot(),
          task,
          (a, b) ->
              ProgressUpdater.numbered(a.getStatus().getState())
                      > ProgressUpdater.numbered(b.getStatus().getState())
                  ? b
                  : a);
    }
    int active = 0;
    int complete = 0;
    for (Task task : bySlot.values()) {
      writeTask(task, out);
      if (task.getStatus().getState() == TaskState.COMPLETE) {
        complete++;
      } else if (!TerminalStates.isTerminal(task.getStatus().getState())) {
        active++;
      }
    }
    overall(active, complete, out);
    return complete == total;
  }

  private void overall(int active, int complete, Consumer<ProgressLine> out) {
    out.accept(
        ProgressLine.text(
            "job progress",
            String.format("%" + progressDigits + "d out of %d complete", complete, total)));
    out.accept(
        ProgressLine.text(
            "active tasks",
            String.format("%" + activeDigits + "d out of %d tasks", active, concurrent)));
  }

  private void writeTask(Task task, Consumer<ProgressLine> out) {
    if (total > MAX_PROGRESS_BARS) {
      return;
    }
    String id = task.getSlot() + "/" + total;
    if (!task.getStatus().getErr().isEmpty()) {
      out.accept(ProgressLine.text(id, ProgressUpdater.truncError(task.getStatus().getErr())));
      return;
    }
    out.accept(
        new ProgressLine(
            id,
            ProgressUpdater.paddedState(task.getStatus().getState()),
            ProgressUpdater.numbered(task.getStatus().getState()),
            MAX_JOB_PROGRESS));
  }
}
