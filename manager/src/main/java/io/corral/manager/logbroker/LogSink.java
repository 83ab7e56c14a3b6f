package io.corral.manager.logbroker;

import io.corral.api.LogMessage;
import io.grpc.Status;
import java.util.List;

/** Where a subscription's lines go (the `service logs` caller), and how its end is told. */
public interface LogSink {

  /** Lines from one node, in the order that node sent them. */
  void send(List<LogMessage> messages);

  /**
   * Every concerned node finished (non-follow); {@code problems} lists the nodes whose logs are
   * missing.
   */
  void end(List<NodeProblem> problems);

  /** The subscription cannot go on (e.g. this manager stopped leading). */
  void fail(Status status);

  /**
   * Runs {@code next} once the sink can take more lines (at once if it can now, or if it is over):
   * the broker reads a node's next message only then, so that a slow reader slows the nodes instead
   * of filling memory.
   */
  void whenReady(Runnable next);
}
