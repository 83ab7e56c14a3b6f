package io.corral.common;

import io.corral.api.TaskState;

/**
 * Which task states are final: COMPLETE and every later one (SHUTDOWN, FAILED, REJECTED, REMOVE,
 * ORPHANED).
 */
public final class TerminalStates {

  private TerminalStates() {}

  /** The task runs no more (as a status), or should run no more (as a desired state). */
  public static boolean isTerminal(TaskState state) {
    // States only move forward and are numbered in that order (swarmkit's TaskState), so this is
    // one comparison.
    return state.getNumber() >= TaskState.COMPLETE_VALUE;
  }
}
