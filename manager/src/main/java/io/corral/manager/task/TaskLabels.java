package io.corral.manager.task;

import io.corral.api.Task;
import java.time.Instant;
import java.util.Optional;

/**
 * Orchestrator bookkeeping kept in a task's own labels, so that every decision can be taken again from the
 * store alone after a leader change (the proto has no fields for it, and in-memory state dies with the
 * leader).
 */
public final class TaskLabels {

  /** Times of the restarts of this slot so far (epoch millis, comma separated), carried from task to task. */
  public static final String RESTARTS = "corral.orchestrator.restarts";
  /** A task in desired state READY is moved to its run state once this time (epoch millis) has passed. */
  public static final String START_AFTER = "corral.orchestrator.start-after";
  /** Set on an ended task the restart supervisor decided not to replace; says why. Its slot stays empty. */
  public static final String NO_RESTART = "corral.orchestrator.no-restart";

  private TaskLabels() {}

  public static Optional<String> get(Task task, String key) {
    return Optional.ofNullable(task.getAnnotations().getLabelsMap().get(key));
  }

  public static Task with(Task task, String key, String value) {
    Task.Builder b = task.toBuilder();
    b.getAnnotationsBuilder().putLabels(key, value);
    return b.build();
  }

  public static Optional<String> noRestartReason(Task task) {
    return get(task, NO_RESTART);
  }

  /** When a READY task may start; empty when it carries no delay. */
  public static Optional<Instant> startAfter(Task task) {
    return get(task, START_AFTER).flatMap(TaskLabels::parseMillis);
  }

  static Optional<Instant> parseMillis(String s) {
    try {
      return Optional.of(Instant.ofEpochMilli(Long.parseLong(s.trim())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
