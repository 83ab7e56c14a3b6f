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
   * What the update status says: a failure that ends the wait (paused), whether the manager is
   * rolling back, and the message of an update held in its canary stage (which ends the wait
   * successfully: the canaries are in place, the rest waits for the user).
   */
  record Verdict(Optional<String> failure, boolean rollback, Optional<String> held) {
    Verdict(Optional<String> failure, boolean rollback) {
      this(failure, rollback, Optional.empty());
    }
  }

  /** Docker's reading of {@code UpdateStatus} in waitOnService, plus the canary stage. */
  static Verdict verdict(UpdateStatus u) {
    return switch (u.getState()) {
      case PAUSED -> new Verdict(Optional.of("service update paused: " + u.getMessage()), false);
      case ROLLBACK_PAUSED ->
          new Verdict(Optional.of("service rollback paused: " + u.getMessage()), true);
      case ROLLBACK_STARTED, ROLLBACK_COMPLETED -> new Verdict(Optional.empty(), true);
      // Once promoted the update goes on, whatever the state still says.
      case CANARY ->
          u.getCanaryPromoted()
              ? new Verdict(Optional.empty(), false)
              : new Verdict(Optional.empty(), false, Optional.of(canaryMessage(u.getMessage())));
      default -> new Verdict(Optional.empty(), false);
    };
  }

  /** The manager's message as a {@code canary: …} line's text. */
  static String canaryMessage(String message) {
    String m = message.startsWith("canary: ") ? message.substring("canary: ".length()) : message;
    return m.isEmpty() ? "canaries updated; promote or roll back" : m;
  }

  /** What to run next when an update waits in its canary stage. */
  static String canaryHint(String service) {
    return "run \"corral service promote "
        + service
        + "\" to continue or \"corral service rollback "
        + service
        + "\" to undo";
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
