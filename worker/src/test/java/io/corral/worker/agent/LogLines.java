package io.corral.worker.agent;

import static org.awaitility.Awaitility.await;

import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixture: collects what a log subscription delivers (lines, their streams and times, and how
 * often it ended).
 */
public final class LogLines implements TaskRuntime.LogSink {
  public final List<String> text = new CopyOnWriteArrayList<>();
  public final List<LogStream> streams = new CopyOnWriteArrayList<>();
  public final List<Instant> times = new CopyOnWriteArrayList<>();
  public final AtomicInteger ends = new AtomicInteger();

  @Override
  public void line(Instant time, LogStream stream, byte[] data) {
    times.add(time);
    streams.add(stream);
    text.add(new String(data, StandardCharsets.UTF_8));
  }

  @Override
  public void end() {
    ends.incrementAndGet();
  }

  /** Reads a task's logs without following and waits for the end. */
  public static LogLines read(
      TaskRuntime runtime, String taskId, LogSubscriptionOptions options, Duration timeout) {
    LogLines lines = new LogLines();
    runtime.logs(taskId, options, lines);
    await().atMost(timeout).until(() -> lines.ends.get() == 1);
    return lines;
  }
}
