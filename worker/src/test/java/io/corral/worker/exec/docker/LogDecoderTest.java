package io.corral.worker.exec.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogDecoderTest {

  private static byte[] frame(int stream, String payload) {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(stream);
    out.write(0);
    out.write(0);
    out.write(0);
    out.write(p.length >>> 24);
    out.write(p.length >>> 16);
    out.write(p.length >>> 8);
    out.write(p.length);
    out.writeBytes(p);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /**
   * Feeds {@code bytes} in pieces of {@code step} bytes, as reads from the socket may cut them
   * anywhere.
   */
  private static List<LogEntry> decode(boolean tty, boolean timestamps, byte[] bytes, int step) {
    List<LogEntry> out = new ArrayList<>();
    LogDecoder decoder = new LogDecoder(tty, timestamps, out::add);
    for (int i = 0; i < bytes.length; i += step) {
      ByteBuf piece = Unpooled.wrappedBuffer(bytes, i, Math.min(step, bytes.length - i));
      decoder.feed(piece);
    }
    decoder.finish();
    return out;
  }

  @Test
  void demultiplexesStdoutAndStderrWhateverTheReadBoundaries() {
    byte[] body = concat(frame(1, "hello\n"), frame(2, "oops é\n"), frame(1, "bye\n"));
    for (int step = 1; step <= body.length; step++) {
      List<LogEntry> lines = decode(false, false, body, step);
      assertEquals(
          List.of(
              new LogEntry(LogEntry.Stream.STDOUT, null, "hello"),
              new LogEntry(LogEntry.Stream.STDERR, null, "oops é"),
              new LogEntry(LogEntry.Stream.STDOUT, null, "bye")),
          lines,
          "step " + step);
    }
  }

  @Test
  void parsesTimestampsAndJoinsPartialMessagesUnderTheFirstOnesTime() {
    byte[] body =
        concat(
            frame(1, "2026-11-23T02:56:05.612554574Z first part, "),
            frame(2, "2026-11-23T02:56:06Z err\n"),
            frame(1, "2026-11-23T02:56:07Z second part\n"));
    List<LogEntry> lines = decode(false, true, body, 5);
    assertEquals(
        List.of(
            new LogEntry(LogEntry.Stream.STDERR, Instant.parse("2026-11-23T02:56:06Z"), "err"),
            new LogEntry(
                LogEntry.Stream.STDOUT,
                Instant.parse("2026-11-23T02:56:05.612554574Z"),
                "first part, second part")),
        lines);
  }

  @Test
  void emitsALastLineWithoutNewlineWhenTheStreamEnds() {
    List<LogEntry> lines = decode(false, false, concat(frame(1, "a\n"), frame(1, "no newline")), 3);
    assertEquals(
        List.of(
            new LogEntry(LogEntry.Stream.STDOUT, null, "a"),
            new LogEntry(LogEntry.Stream.STDOUT, null, "no newline", false)),
        lines);
  }

  @Test
  void readsRawTtyOutputAsStdoutLines() {
    byte[] body = "one\r\ntwo\r\nthree".getBytes(StandardCharsets.UTF_8);
    List<LogEntry> lines = decode(true, false, body, 4);
    assertEquals(List.of("one", "two", "three"), lines.stream().map(LogEntry::line).toList());
    assertEquals(LogEntry.Stream.STDOUT, lines.get(2).stream());
    assertNull(lines.get(0).timestamp());
  }
}
