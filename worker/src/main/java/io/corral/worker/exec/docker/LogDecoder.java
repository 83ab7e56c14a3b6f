package io.corral.worker.exec.docker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;

/**
 * Turns a container log body into lines. Without a TTY the daemon multiplexes stdout and stderr in
 * frames with an 8-byte header (stream type, 3 zero bytes, big-endian payload length), one log
 * message per frame, each with its own timestamp when asked; a line longer than the daemon's buffer
 * comes as several messages, the last ending in a newline. With a TTY the body is the raw terminal
 * output. Frames and lines may span reads.
 */
final class LogDecoder {
  private static final int HEADER = 8;

  private final boolean tty;
  private final boolean timestamps;
  private final Consumer<LogEntry> sink;
  private final ByteBuf pending = Unpooled.buffer();
  private final StringBuilder[] partial = {new StringBuilder(), new StringBuilder()};
  private final Instant[] partialTime = new Instant[2];
  private boolean finished;

  LogDecoder(boolean tty, boolean timestamps, Consumer<LogEntry> sink) {
    this.tty = tty;
    this.timestamps = timestamps;
    this.sink = sink;
  }

  /** Consumes readable bytes of {@code data} (not retained). */
  synchronized void feed(ByteBuf data) {
    if (finished) {
      return; // the reader closed the stream while the daemon was still sending
    }
    pending.writeBytes(data);
    if (tty) {
      int newline;
      while ((newline = pending.indexOf(pending.readerIndex(), pending.writerIndex(), (byte) '\n'))
          >= 0) {
        message(LogEntry.Stream.STDOUT, take(newline + 1 - pending.readerIndex()));
      }
    } else {
      while (pending.readableBytes() >= HEADER) {
        int start = pending.readerIndex();
        long length = pending.getUnsignedInt(start + 4);
        if (pending.readableBytes() < HEADER + length) {
          break;
        }
        int type = pending.getUnsignedByte(start);
        pending.skipBytes(HEADER);
        // 1 = stdout; 2 = stderr and 3 = the daemon's own error text (newer engines) both read as
        // stderr.
        message(type == 1 ? LogEntry.Stream.STDOUT : LogEntry.Stream.STDERR, take((int) length));
      }
    }
    pending.discardReadBytes();
  }

  /**
   * Emits what is left when the stream ends (a last line without a newline); later data is ignored.
   */
  synchronized void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (pending.isReadable() && tty) {
      message(LogEntry.Stream.STDOUT, take(pending.readableBytes()));
    }
    for (LogEntry.Stream stream : LogEntry.Stream.values()) {
      if (!partial[stream.ordinal()].isEmpty()) {
        emit(stream, false);
      }
    }
    pending.release();
  }

  private String take(int length) {
    String text = pending.toString(pending.readerIndex(), length, StandardCharsets.UTF_8);
    pending.skipBytes(length);
    return text;
  }

  private void message(LogEntry.Stream stream, String text) {
    Instant time = null;
    if (timestamps) {
      int space = text.indexOf(' ');
      if (space > 0) {
        try {
          time = Instant.parse(text.substring(0, space));
          text = text.substring(space + 1);
        } catch (DateTimeParseException notATimestamp) {
          // a continuation of a raw TTY line split by the terminal: keep the text as it is
        }
      }
    }
    int i = stream.ordinal();
    if (partial[i].isEmpty()) {
      partialTime[i] = time;
    }
    partial[i].append(text);
    if (text.endsWith("\n")) {
      partial[i].setLength(partial[i].length() - 1);
      emit(stream, true);
    }
  }

  private void emit(LogEntry.Stream stream, boolean newline) {
    int i = stream.ordinal();
    String line = partial[i].toString();
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1); // TTY output ends lines with CR LF
    }
    partial[i].setLength(0);
    sink.accept(new LogEntry(stream, partialTime[i], line, newline));
  }
}
