package io.corral.manager.logbroker;

import io.corral.api.LogMessage;
import io.grpc.Status;
import java.util.List;

/** Where a subscription's lines go (the `service logs` caller), and how its end is told. */
public interface LogSink {

  /** Lines from one node, in the order that node sent them. */
  void send(List<LogMessage> messages);

  /** Every concerned node finished (non-follow); {@code problems} lists the nodes whose logs are missing. */
  void end(List<NodeProblem> problems);

  /** The subscription cannot go on (e.g. this manager stopped leading). */
  void fail(Status status);
}
