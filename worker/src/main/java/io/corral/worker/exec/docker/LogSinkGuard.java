package io.corral.worker.exec.docker;

import io.corral.api.LogStream;
import io.corral.worker.agent.TaskRuntime;
import java.time.Instant;

/**
 * Holds a log sink to its contract whatever thread the engine's stream ends on: no line after end,
 * end once.
 */
final class LogSinkGuard implements TaskRuntime.LogSink {
  private final TaskRuntime.LogSink sink;
  private boolean ended;

  LogSinkGuard(TaskRuntime.LogSink sink) {
    this.sink = sink;
  }

  @Override
  public synchronized void line(Instant time, LogStream stream, byte[] data) {
    if (!ended) {
      sink.line(time, stream, data);
    }
  }

  @Override
  public synchronized void end() {
    if (!ended) {
      ended = true;
      sink.end();
    }
  }
}
