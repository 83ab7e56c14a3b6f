package io.corral.manager.allocator;

import io.corral.api.Task;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import java.util.List;

/**
 * The seam where overlay networking plugs into task allocation: decides a task's network
 * attachments (addresses) from the allocator's snapshot. The allocations it needs written
 * (networks, addresses) are {@link Change}s that commit in one group with the task becoming
 * PENDING, or not at all. Until network allocation exists, {@link #NONE} attaches nothing.
 */
@FunctionalInterface
public interface NetworkAttacher {

  /** No overlay networks yet: every task is ready for the scheduler as it is. */
  NetworkAttacher NONE = (snapshot, task) -> new Attached(task, List.of());

  /** What attaching a task produced. */
  sealed interface Outcome permits Attached, Waiting {}

  /**
   * The task with its attachments, ready for the scheduler, and the allocations to write with it.
   * Allocations of several tasks from one snapshot that update the same object conflict on its
   * version: the later ones are refused and decided again on the next pass.
   */
  record Attached(Task task, List<Change> allocations) implements Outcome {
    public Attached {
      allocations = List.copyOf(allocations);
    }
  }

  /**
   * The task cannot be attached yet (e.g. its network is not allocated); the reason is shown to
   * users.
   */
  record Waiting(String reason) implements Outcome {}

  /** Attaches the task, deciding from {@code snapshot}; writes nothing itself. */
  Outcome attach(ClusterSnapshot snapshot, Task task);
}
