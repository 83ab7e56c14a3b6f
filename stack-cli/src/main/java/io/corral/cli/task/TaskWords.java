package io.corral.cli.task;

import io.corral.api.TaskState;
import io.corral.cli.format.CliFailure;

/**
 * The lower-case words docker's API uses for task states ({@code running}, {@code shutdown}, …).
 */
public final class TaskWords {

  private TaskWords() {}

  /** Docker's {@code swarm.TaskState} string of {@code s}. */
  public static String state(TaskState s) {
    return switch (s) {
      case NEW -> "new";
      case PENDING -> "pending";
      case ASSIGNED -> "assigned";
      case ACCEPTED -> "accepted";
      case PREPARING -> "preparing";
      case READY -> "ready";
      case STARTING -> "starting";
      case RUNNING -> "running";
      case COMPLETE -> "complete";
      case SHUTDOWN -> "shutdown";
      case FAILED -> "failed";
      case REJECTED -> "rejected";
      case REMOVE -> "remove";
      case ORPHANED -> "orphaned";
      default -> "unknown";
    };
  }

  /**
   * A {@code desired-state} filter value, as docker's daemon accepts them.
   *
   * @throws CliFailure "Error response from daemon: Invalid desired-state filter: 'x'"
   */
  public static TaskState desiredStateFilter(String value) {
    return switch (value) {
      case "running" -> TaskState.RUNNING;
      case "shutdown" -> TaskState.SHUTDOWN;
      case "accepted" -> TaskState.ACCEPTED;
      default ->
          throw new CliFailure(
              "Error response from daemon: Invalid desired-state filter: '"
                  + value
                  + "' (use running, shutdown or accepted)");
    };
  }
}
