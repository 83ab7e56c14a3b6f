package io.corral.cli.service.progress;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.cli.format.Ellipsis;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Docker's globalJobProgressUpdater: "job progress: C out of N complete" over the nodes the job's
 * current iteration runs on (all its tasks are created at once, so their count is the target).
 */
final class GlobalJobProgress implements ProgressUpdater {

  private static final int MAX_JOB_PROGRESS = 10;

  private final long iteration;
  private boolean initialized;
  private int total;
  private int digits;

  GlobalJobProgress(Service service) {
    this.iteration = service.getJobStatus().getJobIteration().getIndex();
  }

  @Override
  public boolean update(
      Service service, List<Task> tasks, Set<String> activeNodes, Consumer<ProgressLine> out) {
    Map<String, Task> byNode = new TreeMap<>();
    for (Task task : tasks) {
      if (task.getJobIteration().getIndex() != iteration
          || ProgressUpdater.numbered(task.getDesiredState()) == 0
          || ProgressUpdater.numbered(task.getStatus().getState()) == 0) {
        continue;
      }
      byNode.merge(
          task.getNodeId(),
          task,
          (a, b) ->
              ProgressUpdater.numbered(a.getStatus().getState())
                      > ProgressUpdater.numbered(b.getStatus().getState())
                  ? b
                  : a);
    }
    if (!initialized) {
      if (byNode.isEmpty() && !activeNodes.isEmpty()) {
        out.accept(ProgressLine.text("job progress", "waiting for tasks"));
        return false;
      }
      total = byNode.size();
      digits = Integer.toString(total).length();
      overall(0, out);
      initialized = true;
    }
    int complete = 0;
    for (Task task : byNode.values()) {
      if (total <= MAX_PROGRESS_BARS) {
        String id = Ellipsis.id(task.getNodeId());
        out.accept(
            task.getStatus().getErr().isEmpty()
                ? new ProgressLine(
                    id,
                    ProgressUpdater.paddedState(task.getStatus().getState()),
                    ProgressUpdater.numbered(task.getStatus().getState()),
                    MAX_JOB_PROGRESS)
                : ProgressLine.text(id, ProgressUpdater.truncError(task.getStatus().getErr())));
      }
      if (task.getStatus().getState() == TaskState.COMPLETE) {
        complete++;
      }
    }
    overall(complete, out);
    return complete == total;
  }

  private void overall(int complete, Consumer<ProgressLine> out) {
    out.accept(
        ProgressLine.text(
            "job progress", String.format("%" + digits + "d out of %d complete", complete, total)));
  }
}
