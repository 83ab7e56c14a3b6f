package io.corral.cli.service.progress;

import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns successive snapshots of a service's up-to-date tasks into progress lines and says when the
 * service has converged (docker's {@code progressUpdater}); one implementation per service mode.
 */
public interface ProgressUpdater {

  /** Docker draws per-task lines only up to this many tasks. */
  int MAX_PROGRESS_BARS = 20;

  /** Width docker pads state names to (the longest, "preparing"). */
  int LONGEST_STATE = 9;

  /**
   * Writes the lines for this snapshot to {@code out} and says whether the service converged.
   *
   * @param activeNodes ids of nodes that are not down
   */
  boolean update(
      Service service, List<Task> tasks, Set<String> activeNodes, Consumer<ProgressLine> out);

  /** The updater for {@code service}'s mode. */
  static ProgressUpdater of(Service service) {
    return switch (service.getSpec().getModeCase()) {
      case GLOBAL -> new GlobalProgress();
      case REPLICATED_JOB -> new ReplicatedJobProgress(service);
      case GLOBAL_JOB -> new GlobalJobProgress(service);
      default -> new ReplicatedProgress();
    };
  }

  /**
   * Docker's numberedStates: the bar position of a state, 0 for states progress ignores (REMOVE,
   * ORPHANED).
   */
  Map<TaskState, Integer> NUMBERED =
      Map.ofEntries(
          Map.entry(TaskState.NEW, 1),
          Map.entry(TaskState.PENDING, 3),
          Map.entry(TaskState.ASSIGNED, 4),
          Map.entry(TaskState.ACCEPTED, 5),
          Map.entry(TaskState.PREPARING, 6),
          Map.entry(TaskState.READY, 7),
          Map.entry(TaskState.STARTING, 8),
          Map.entry(TaskState.RUNNING, 9),
          Map.entry(TaskState.COMPLETE, 10),
          Map.entry(TaskState.SHUTDOWN, 11),
          Map.entry(TaskState.FAILED, 12),
          Map.entry(TaskState.REJECTED, 13));

  static int numbered(TaskState s) {
    return NUMBERED.getOrDefault(s, 0);
  }

  /** Docker's truncError: the first line of an error, at most 60 characters ("…" when cut). */
  static String truncError(String err) {
    int nl = err.indexOf('\n');
    String line = nl >= 0 ? err.substring(0, nl) + "…" : err;
    if (line.codePointCount(0, line.length()) > 60) {
      return line.substring(0, line.offsetByCodePoints(0, 59)) + "…";
    }
    return line;
  }

  /** The state word padded as docker pads it ({@code "%-9s"}). */
  static String paddedState(TaskState s) {
    return String.format("%-" + LONGEST_STATE + "s", io.corral.cli.task.TaskWords.state(s));
  }
}
