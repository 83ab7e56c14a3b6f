package io.corral.worker.exec.process;

import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.common.ProtoTime;
import io.corral.worker.agent.TaskRuntime.LogSink;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reader of a task's log: sends the past lines the options select (streams, since, tail), then,
 * when following, new lines as they are logged until the log is sealed (the task ended) or the
 * subscription is closed; ends the sink exactly once. Runs on its own thread, so the sink is called
 * from one thread only.
 */
final class LogSubscription implements Runnable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LogSubscription.class);
  private static final long WAIT_MILLIS = 500;

  private final TaskLog log;
  private final LogSubscriptionOptions options;
  private final LogSink sink;
  private final Set<LogStream> streams;
  private final Instant since;
  private volatile boolean closed;

  LogSubscription(TaskLog log, LogSubscriptionOptions options, LogSink sink) {
    this.log = log;
    this.options = options;
    this.sink = sink;
    this.streams =
        options.getStreamsCount() == 0
            ? EnumSet.of(LogStream.LOG_STREAM_STDOUT, LogStream.LOG_STREAM_STDERR)
            : EnumSet.copyOf(options.getStreamsList());
    this.since = options.hasSince() ? ProtoTime.instant(options.getSince()) : null;
  }

  private boolean wanted(LogRecord r) {
    return streams.contains(r.stream()) && (since == null || !r.time().isBefore(since));
  }

  private void send(LogRecord r) {
    if (!closed && wanted(r)) {
      sink.line(r.time(), r.stream(), r.data());
    }
  }

  @Override
  public void run() {
    try {
      long pos;
      if (options.hasTail()
          && options.getTail() >= 0) { // a negative tail means all, as docker's "all"
        long tail = options.getTail();
        Deque<LogRecord> last = new ArrayDeque<>();
        pos =
            LogFile.read(
                log.path(),
                0,
                r -> {
                  if (tail > 0 && wanted(r)) {
                    last.addLast(r);
                    if (last.size() > tail) {
                      last.removeFirst();
                    }
                  }
                });
        last.forEach(this::send);
      } else {
        pos = LogFile.read(log.path(), 0, this::send);
      }
      while (options.getFollow() && !closed) {
        boolean ended =
            log.sealed(); // read before the file, so that nothing logged before sealing is missed
        long next = LogFile.read(log.path(), pos, this::send);
        if (next == pos) {
          if (ended) {
            break;
          }
          log.awaitChange(pos, WAIT_MILLIS);
        }
        pos = next;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("reading the log {} failed: {}", log.path(), e.toString());
    } finally {
      sink.end();
    }
  }

  @Override
  public void close() {
    closed = true;
    log.wakeReaders();
  }
}
