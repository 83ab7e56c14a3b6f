package io.corral.manager.allocator;

import io.corral.api.Task;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import java.util.List;

/**
 * The seam where overlay networking plugs into task allocation: decides tasks' network attachments
 * (addresses) from the allocator's snapshot. Attaching is cumulative within one pass ({@link
 * #begin}): a task sees the addresses given to the tasks attached before it, so the allocator may
 * commit all of a pass's tasks in one group. The allocations to write with them (networks,
 * addresses) are {@link Change}s that commit in that group or not at all; when two tasks of one
 * pass allocate on the same object, the later allocation supersedes the earlier one (it includes
 * it). {@link #NONE} attaches nothing.
 */
@FunctionalInterface
public interface NetworkAttacher {

  /** No overlay networks: every task is ready for the scheduler as it is. */
  NetworkAttacher NONE = snapshot -> task -> new Attached(task, List.of());

  /** What attaching a task produced. */
  sealed interface Outcome permits Attached, Waiting {}

  /**
   * The task with its attachments, ready for the scheduler, and the allocations to write with it.
   * Allocations that update an object conflict on its version with any other writer's decision on
   * it, so of two allocators deciding from different views at most one commits.
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

  /** One allocator pass: attaches tasks one after the other; writes nothing itself. */
  @FunctionalInterface
  interface Pass {
    Outcome attach(Task task);
  }

  /** Starts a pass deciding from {@code snapshot}. */
  Pass begin(ClusterSnapshot snapshot);
}
