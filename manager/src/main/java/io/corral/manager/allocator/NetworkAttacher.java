package io.corral.manager.allocator;

import io.corral.api.Task;
import io.corral.manager.store.WriteTx;

/**
 * The seam where overlay networking plugs into task allocation: gives a task its network attachments
 * (addresses) inside the same store write that makes it PENDING, so that allocations and the task commit
 * together. Until network allocation exists, {@link #NONE} attaches nothing.
 */
@FunctionalInterface
public interface NetworkAttacher {

  /** No overlay networks yet: every task is ready for the scheduler as it is. */
  NetworkAttacher NONE = (tx, task) -> new Attached(task);

  /** What attaching a task produced. */
  sealed interface Outcome permits Attached, Waiting {}

  /** The task with its attachments, ready for the scheduler. */
  record Attached(Task task) implements Outcome {}

  /** The task cannot be attached yet (e.g. its network is not allocated); the reason is shown to users. */
  record Waiting(String reason) implements Outcome {}

  /** Attaches the task (it may write network allocations through {@code tx}). */
  Outcome attach(WriteTx tx, Task task);
}
