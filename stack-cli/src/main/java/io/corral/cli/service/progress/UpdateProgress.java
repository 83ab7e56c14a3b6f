package io.corral.cli.service.progress;

import io.corral.api.Task;
import io.corral.api.UpdateStatus;
import io.corral.common.TerminalStates;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a service's update status and its replaced tasks mean for the progress of {@code service
 * create|update|rollback|scale}: pure decisions, docker's words.
 */
final class UpdateProgress {

  private UpdateProgress() {}

  /**
   * What the update status says: a failure that ends the wait (paused), or whether the manager is
   * rolling back.
   */
  record Verdict(Optional<String> failure, boolean rollback) {}

  /** Docker's reading of {@code UpdateStatus} in waitOnService. */
  static Verdict verdict(UpdateStatus u) {
    return switch (u.getState()) {
      case PAUSED -> new Verdict(Optional.of("service update paused: " + u.getMessage()), false);
      case ROLLBACK_PAUSED ->
          new Verdict(Optional.of("service rollback paused: " + u.getMessage()), true);
      case ROLLBACK_STARTED, ROLLBACK_COMPLETED -> new Verdict(Optional.empty(), true);
      default -> new Verdict(Optional.empty(), false);
    };
  }

  /**
   * Whether every task of the service that is not up to date has ended: stopped, never placed while
   * meant to stop, or on a node that is down (it cannot report its end).
   */
  static boolean oldTasksEnded(List<Task> all, List<Task> upToDate, Set<String> activeNodes) {
    Set<String> current = upToDate.stream().map(Task::getId).collect(Collectors.toSet());
    return all.stream()
        .filter(t -> !current.contains(t.getId()))
        .allMatch(
            t ->
                TerminalStates.isTerminal(t.getStatus().getState())
                    || (t.getNodeId().isEmpty() && TerminalStates.isTerminal(t.getDesiredState()))
                    || (!t.getNodeId().isEmpty() && !activeNodes.contains(t.getNodeId())));
  }
}
