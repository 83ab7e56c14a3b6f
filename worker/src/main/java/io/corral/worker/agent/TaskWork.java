package io.corral.worker.agent;

import io.corral.worker.network.EndpointTable;
import io.grpc.Context;
import io.grpc.ManagedChannel;

/**
 * The task side of a node's sessions: each session's assignment stream feeds the task supervisor
 * and the node's endpoint table, and status changes go back through the current session (or wait
 * for the next one). A task is stopped only once it has left the table's backends.
 */
public final class TaskWork implements Agent.SessionWork, AutoCloseable {

  private final StatusReporter reporter = new StatusReporter();
  private final DrainBeforeStop drain;
  private final TaskSupervisor supervisor;
  private final EndpointTable endpoints;

  public TaskWork(TaskRuntime runtime, EndpointTable endpoints) {
    this.endpoints = endpoints;
    this.drain = new DrainBeforeStop(runtime, endpoints);
    this.supervisor = new TaskSupervisor(drain, reporter);
  }

  /** The node's assigned tasks, for the log publisher. */
  public LocalTasks localTasks() {
    return supervisor;
  }

  @Override
  public void sessionStarted(
      ManagedChannel channel, String sessionId, Context.CancellableContext session) {
    reporter.useSession(channel, sessionId);
    AssignmentReader.start(channel, sessionId, session, supervisor, endpoints);
  }

  @Override
  public void sessionEnded(String sessionId) {
    reporter.sessionEnded(sessionId);
  }

  @Override
  public void close() {
    drain.close();
    reporter.close();
  }
}
