package io.corral.worker.exec.process;

import io.corral.api.LogStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * The timestamped log of one task: one record per line, {@code <seconds>.<nanos> <o|e><F|P>
 * <data>}, where F marks a line whose data ends with the newline that also ends the record and P a
 * partial line whose record gets an extra newline. Records are only appended; a record cut short by
 * a crash is dropped when the file is recovered.
 */
final class LogFile {

  /**
   * What a recovered log already holds: bytes taken from each raw stream, and the time of its last
   * record.
   */
  record Position(long stdoutBytes, long stderrBytes, Instant lastTime) {}

  private LogFile() {}

  static byte[] encode(LogRecord r) {
    boolean full = r.data().length > 0 && r.data()[r.data().length - 1] == '\n';
    String header =
        r.time().getEpochSecond()
            + "."
            + String.format("%09d", r.time().getNano())
            + " "
            + (r.stream() == LogStream.LOG_STREAM_STDERR ? 'e' : 'o')
            + (full ? 'F' : 'P')
            + " ";
    byte[] h = header.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[h.length + r.data().length + (full ? 0 : 1)];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(r.data(), 0, out, h.length, r.data().length);
    if (!full) {
      out[out.length - 1] = '\n';
    }
    return out;
  }

  /** Appends {@code records} to the open channel. */
  static void append(FileChannel channel, Collection<LogRecord> records) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    for (LogRecord r : records) {
      buf.writeBytes(encode(r));
    }
    ByteBuffer b = ByteBuffer.wrap(buf.toByteArray());
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  /**
   * Sends every complete record from byte {@code from} on to {@code consumer} and returns the
   * position after the last one (a record still being written is left for the next read). A missing
   * file reads as empty.
   */
  static long read(Path path, long from, Consumer<LogRecord> consumer) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ch.position(from);
      InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
      long pos = from;
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        line.reset();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
          line.write(c);
        }
        if (c < 0) {
          return pos; // end of file: anything in `line` is an incomplete record
        }
        line.write('\n');
        byte[] bytes = line.toByteArray();
        pos += bytes.length;
        LogRecord r = decode(bytes);
        if (r != null) {
          consumer.accept(r);
        }
      }
    } catch (NoSuchFileException e) {
      return from;
    }
  }

  /**
   * Reads the whole log, cuts off a record left incomplete by a crash, and returns where collection
   * resumes.
   */
  static Position recover(Path path) throws IOException {
    long[] bytes = new long[2];
    Instant[] last = {Instant.EPOCH};
    long end =
        read(
            path,
            0,
            r -> {
              bytes[r.stream() == LogStream.LOG_STREAM_STDERR ? 1 : 0] += r.data().length;
              last[0] = r.time();
            });
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
      if (ch.size() > end) {
        ch.truncate(end);
      }
    } catch (NoSuchFileException e) {
      // nothing logged yet
    }
    return new Position(bytes[0], bytes[1], last[0]);
  }

  /** One record (with its terminating newline), or null when it is malformed. */
  static LogRecord decode(byte[] rec) {
    int sp1 = indexOf(rec, (byte) ' ', 0);
    if (sp1 < 0 || sp1 + 4 > rec.length || rec[sp1 + 3] != ' ') {
      return null;
    }
    try {
      String ts = new String(rec, 0, sp1, StandardCharsets.US_ASCII);
      int dot = ts.indexOf('.');
      Instant time =
          Instant.ofEpochSecond(
              Long.parseLong(ts.substring(0, dot)), Long.parseLong(ts.substring(dot + 1)));
      LogStream stream =
          rec[sp1 + 1] == 'e' ? LogStream.LOG_STREAM_STDERR : LogStream.LOG_STREAM_STDOUT;
      boolean full = rec[sp1 + 2] == 'F';
      int start = sp1 + 4;
      int len = rec.length - start - (full ? 0 : 1);
      byte[] data = new byte[len];
      System.arraycopy(rec, start, data, 0, len);
      return new LogRecord(time, stream, data);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static int indexOf(byte[] a, byte b, int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
