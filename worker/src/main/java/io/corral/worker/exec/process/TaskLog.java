package io.corral.worker.exec.process;

import io.corral.api.LogStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the raw stdout/stderr files a task process writes into its timestamped {@link LogFile}:
 * each {@link #collect} reads what was added since the last one and appends complete lines; {@link
 * #seal} takes the rest (a last line without newline too) once the task has ended. Resumes where
 * the log left off after a restart. Readers wait on it for new records.
 */
final class TaskLog {

  /** Longer lines are logged in pieces, like docker's 16 KiB log buffer. */
  static final int MAX_LINE = 16 * 1024;

  private static final int MAX_READ = 1024 * 1024;

  /**
   * One raw output file and how much of it is logged (and read but not yet logged, waiting for its
   * newline).
   */
  private static final class Source {
    final Path file;
    final LogStream stream;
    long logged;
    final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    Source(Path file, LogStream stream, long logged) {
      this.file = file;
      this.stream = stream;
      this.logged = logged;
    }
  }

  private final Path logPath;
  private final Clock clock;
  private final List<Source> sources;

  /** The time of the last record; null until the log has been recovered. */
  private Instant lastTime;

  private FileChannel channel;
  private boolean sealed;

  /** Whether the last read stopped at its size limit with more output waiting. */
  private boolean more;

  private TaskLog(Path logPath, Clock clock, List<Source> sources) {
    this.logPath = logPath;
    this.clock = clock;
    this.sources = sources;
  }

  /**
   * The log of the task in {@code dir}. Nothing is read yet: the first {@link #collect} or {@link
   * #seal} resumes from what was logged before (a restart), so that readers can subscribe before
   * the process even starts.
   */
  static TaskLog of(TaskDir dir, Clock clock) {
    return new TaskLog(
        dir.file(TaskDir.LOG),
        clock,
        List.of(
            new Source(dir.file(TaskDir.STDOUT), LogStream.LOG_STREAM_STDOUT, 0),
            new Source(dir.file(TaskDir.STDERR), LogStream.LOG_STREAM_STDERR, 0)));
  }

  private void recoverOnce() throws IOException {
    if (lastTime != null) {
      return;
    }
    LogFile.Position pos = LogFile.recover(logPath);
    sources.get(0).logged = pos.stdoutBytes();
    sources.get(1).logged = pos.stderrBytes();
    lastTime = pos.lastTime();
  }

  Path path() {
    return logPath;
  }

  /** Logs the complete lines written since the last call. */
  synchronized void collect() throws IOException {
    if (!sealed) {
      recoverOnce();
      append(read(false));
    }
  }

  /** Logs everything that is left and marks the log complete: no more records will be added. */
  synchronized void seal() throws IOException {
    if (sealed) {
      return;
    }
    try {
      recoverOnce();
      do {
        append(read(false));
      } while (more);
      append(read(true));
    } finally {
      sealed = true;
      closeChannel();
      notifyAll();
    }
  }

  synchronized boolean sealed() {
    return sealed;
  }

  /**
   * Stops collecting without sealing (the runtime is closing; the next one resumes from the file).
   */
  synchronized void close() {
    closeChannel();
    notifyAll();
  }

  /** Waits up to {@code millis} for the log to grow beyond {@code size} bytes or be sealed. */
  synchronized void awaitChange(long size, long millis) throws InterruptedException {
    if (!sealed && currentSize() <= size) {
      wait(millis);
    }
  }

  /** Wakes readers waiting in {@link #awaitChange} (e.g. one whose subscription was closed). */
  synchronized void wakeReaders() {
    notifyAll();
  }

  long currentSize() {
    try {
      return Files.size(logPath);
    } catch (IOException e) {
      return 0;
    }
  }

  private List<LogRecord> read(boolean all) throws IOException {
    List<LogRecord> records = new ArrayList<>();
    more = false;
    for (Source s : sources) {
      byte[] chunk = readFrom(s.file, s.logged + s.pending.size());
      Instant time = timeOf(s); // after reading: the file's time then covers every byte read
      more |= chunk.length == MAX_READ;
      s.pending.writeBytes(chunk);
      byte[] pending = s.pending.toByteArray();
      int start = 0;
      for (int i = 0; i < pending.length; i++) {
        if (pending[i] == '\n' || i - start + 1 >= MAX_LINE) {
          records.add(new LogRecord(time, s.stream, slice(pending, start, i + 1)));
          start = i + 1;
        }
      }
      if (all && start < pending.length) {
        records.add(new LogRecord(time, s.stream, slice(pending, start, pending.length)));
        start = pending.length;
      }
      s.logged += start;
      s.pending.reset();
      s.pending.write(pending, start, pending.length - start);
    }
    records.sort(
        Comparator.comparing(
            LogRecord::time)); // interleave the two streams by time (stable per stream)
    return records;
  }

  /**
   * The time for lines read now: when the file was last written, which is close to when they were
   * written and right for lines written while no daemon watched, but never before an earlier line
   * nor after now.
   */
  private Instant timeOf(Source s) {
    Instant modified = null;
    try {
      modified = Files.getLastModifiedTime(s.file).toInstant();
    } catch (IOException e) {
      // no output yet: the time does not matter
    }
    Instant now = clock.instant();
    Instant t = modified != null && modified.isBefore(now) ? modified : now;
    if (t.isBefore(lastTime)) {
      t = lastTime;
    }
    return t;
  }

  private static byte[] readFrom(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size <= offset) {
        return new byte[0];
      }
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_READ, size - offset));
      ch.position(offset);
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // keep reading up to the limit
      }
      byte[] out = new byte[buf.position()];
      buf.flip().get(out);
      return out;
    } catch (NoSuchFileException e) {
      return new byte[0];
    }
  }

  private void append(List<LogRecord> records) throws IOException {
    if (records.isEmpty()) {
      return;
    }
    if (channel == null) {
      channel =
          FileChannel.open(
              logPath,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
    }
    LogFile.append(channel, records);
    lastTime = records.get(records.size() - 1).time();
    notifyAll();
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing left to flush: writes go straight to the file
      }
      channel = null;
    }
  }

  private static byte[] slice(byte[] a, int from, int to) {
    byte[] out = new byte[to - from];
    System.arraycopy(a, from, out, 0, to - from);
    return out;
  }
}
