package io.corral.testcluster.bench;

import io.corral.api.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses {@code docker service ps --format '{{.DesiredState}}|{{.CurrentState}}'}: lines such as
 * {@code Running|Running 3 seconds ago} or {@code Shutdown|Running 5 seconds ago}. Swarm's state
 * words are the names of Corral's task states (swarmkit's), except {@code Allocated}, which comes
 * between NEW and PENDING.
 */
final class SwarmTaskLines {

  static final String FORMAT = "{{.DesiredState}}|{{.CurrentState}}";

  private SwarmTaskLines() {}

  static List<TaskObservation> parse(String output) {
    List<TaskObservation> tasks = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int bar = line.indexOf('|');
      if (bar < 0) {
        throw new IllegalArgumentException("unexpected docker service ps line (no '|'): " + line);
      }
      tasks.add(new TaskObservation(state(line.substring(0, bar)), state(line.substring(bar + 1))));
    }
    return tasks;
  }

  /** The state named by the first word ("Running 3 seconds ago" is RUNNING). */
  static TaskState state(String text) {
    String word = text.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
    if (word.equals("ALLOCATED")) {
      return TaskState
          .PENDING; // not a state of Corral's; between NEW and PENDING in swarmkit, not ended
    }
    try {
      return TaskState.valueOf(word);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown swarm task state '" + text.strip() + "'", e);
    }
  }
}
