package io.corral.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.TaskState;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TerminalStatesTest {

  @Test
  void everyStateFromCompleteOnIsTerminal() {
    Set<TaskState> terminal =
        EnumSet.of(
            TaskState.COMPLETE,
            TaskState.SHUTDOWN,
            TaskState.FAILED,
            TaskState.REJECTED,
            TaskState.REMOVE,
            TaskState.ORPHANED);
    for (TaskState s : TaskState.values()) {
      if (s != TaskState.UNRECOGNIZED) {
        assertThat(TerminalStates.isTerminal(s)).as(s.name()).isEqualTo(terminal.contains(s));
      }
    }
  }
}
