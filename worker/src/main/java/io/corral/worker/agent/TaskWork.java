package io.corral.worker.agent;

import io.grpc.Context;
import io.grpc.ManagedChannel;

/**
 * The task side of a node's sessions: each session's assignment stream feeds the task supervisor,
 * and status changes go back through the current session (or wait for the next one).
 */
public final class TaskWork implements Agent.SessionWork, AutoCloseable {

  private final StatusReporter reporter = new StatusReporter();
  private final TaskSupervisor supervisor;

  public TaskWork(TaskRuntime runtime) {
    this.supervisor = new TaskSupervisor(runtime, reporter);
  }

  /** The node's assigned tasks, for the log publisher. */
  public LocalTasks localTasks() {
    return supervisor;
  }

  @Override
  public void sessionStarted(
      ManagedChannel channel, String sessionId, Context.CancellableContext session) {
    reporter.useSession(channel, sessionId);
    AssignmentReader.start(channel, sessionId, session, supervisor);
  }

  @Override
  public void sessionEnded(String sessionId) {
    reporter.sessionEnded(sessionId);
  }

  @Override
  public void close() {
    reporter.close();
  }
}
