package io.corral.worker.agent;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several pieces of session work run as one (the agent takes one): started in order, ended in
 * reverse.
 */
public final class CompositeWork implements Agent.SessionWork, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CompositeWork.class);

  private final List<Agent.SessionWork> works;

  public CompositeWork(Agent.SessionWork... works) {
    this.works = List.of(works);
  }

  @Override
  public void sessionStarted(
      ManagedChannel channel, String sessionId, Context.CancellableContext session) {
    works.forEach(w -> w.sessionStarted(channel, sessionId, session));
  }

  @Override
  public void sessionEnded(String sessionId) {
    for (int i = works.size() - 1; i >= 0; i--) {
      works.get(i).sessionEnded(sessionId);
    }
  }

  /**
   * Closes the works that can be closed, in reverse order; one failing does not keep the others
   * open.
   */
  @Override
  public void close() {
    for (int i = works.size() - 1; i >= 0; i--) {
      if (works.get(i) instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
      }
    }
  }
}
