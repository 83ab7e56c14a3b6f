package io.corral.worker.agent;

import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Task;
import io.corral.api.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A task runtime whose logs() sends each known task's past lines from a thread of its own, then
 * ends (or, when following, waits for more lines until the handle is closed). Unknown tasks end at
 * once, on the caller's thread.
 */
final class LineRuntime implements TaskRuntime {

  private final Map<String, List<String>> past = new ConcurrentHashMap<>();
  private final Map<String, LogSink> following = new ConcurrentHashMap<>();
  final List<String> closedHandles = new CopyOnWriteArrayList<>();
  final List<String> readsStarted = new CopyOnWriteArrayList<>();
  static final Instant TIME = Instant.parse("2024-05-01T10:00:00.123Z");

  void lines(String taskId, String... lines) {
    past.put(taskId, List.of(lines));
  }

  /** A new line on a followed task. */
  void write(String taskId, String line) {
    following
        .get(taskId)
        .line(TIME, LogStream.LOG_STREAM_STDERR, (line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  boolean isFollowing(String taskId) {
    return following.containsKey(taskId);
  }

  @Override
  public AutoCloseable logs(String taskId, LogSubscriptionOptions options, LogSink sink) {
    readsStarted.add(taskId);
    List<String> lines = past.get(taskId);
    if (lines == null) {
      sink.end();
      return () -> {};
    }
    CountDownLatch closed = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              for (String line : lines) {
                sink.line(
                    TIME,
                    LogStream.LOG_STREAM_STDOUT,
                    (line + "\n").getBytes(StandardCharsets.UTF_8));
              }
              if (options.getFollow()) {
                following.put(taskId, sink);
                try {
                  closed.await();
                } catch (InterruptedException e) {
                  return;
                }
              }
              sink.end();
            },
            "logs-" + taskId);
    t.setDaemon(true);
    t.start();
    return () -> {
      closedHandles.add(taskId);
      following.remove(taskId);
      closed.countDown();
    };
  }

  @Override
  public Map<String, TaskStatus> adopt(Listener listener) {
    return Map.of();
  }

  @Override
  public void start(Task task, Listener listener) {
    throw new UnsupportedOperationException("the log tests run no tasks");
  }

  @Override
  public void stop(String taskId, Duration gracePeriod) {
    throw new UnsupportedOperationException("the log tests run no tasks");
  }

  @Override
  public void remove(String taskId, Duration gracePeriod) {
    throw new UnsupportedOperationException("the log tests run no tasks");
  }
}
