package io.corral.worker.exec.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.LogStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timestamped log format, its recovery after a crash, and collection from raw output files. */
class LogFileTest {

  @TempDir Path dir;

  private static LogRecord rec(long sec, LogStream s, String data) {
    return new LogRecord(Instant.ofEpochSecond(sec, 5), s, data.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> texts(Path log) throws Exception {
    List<String> out = new ArrayList<>();
    LogFile.read(
        log,
        0,
        r -> out.add(r.stream().getNumber() + ":" + new String(r.data(), StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void recordsRoundTripIncludingPartialAndEmptyLines() throws Exception {
    Path log = dir.resolve("log");
    try (FileChannel ch =
        FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      LogFile.append(
          ch,
          List.of(
              rec(1, LogStream.LOG_STREAM_STDOUT, "a b\n"),
              rec(2, LogStream.LOG_STREAM_STDERR, "\n"),
              rec(3, LogStream.LOG_STREAM_STDOUT, "partial")));
    }
    List<LogRecord> read = new ArrayList<>();
    LogFile.read(log, 0, read::add);
    assertThat(read)
        .extracting(LogRecord::time)
        .containsExactly(
            Instant.ofEpochSecond(1, 5), Instant.ofEpochSecond(2, 5), Instant.ofEpochSecond(3, 5));
    assertThat(texts(log)).containsExactly("1:a b\n", "2:\n", "1:partial");
  }

  @Test
  void aRecordCutShortByACrashIsDroppedAndCollectionResumesAfterTheLastWholeOne() throws Exception {
    TaskDir task = new TaskDir(dir);
    Files.writeString(task.file(TaskDir.STDOUT), "one\ntwo\nthr");
    Files.writeString(task.file(TaskDir.STDERR), "bad\n");
    Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    TaskLog first = TaskLog.of(task, clock);
    first.collect();
    first.close();
    assertThat(texts(task.file(TaskDir.LOG)))
        .containsExactlyInAnyOrder("1:one\n", "1:two\n", "2:bad\n");
    // A crash in the middle of the next append leaves half a record.
    Files.writeString(task.file(TaskDir.LOG), "1893456000.0000", StandardOpenOption.APPEND);
    Files.writeString(task.file(TaskDir.STDOUT), "ee\nfour", StandardOpenOption.APPEND);

    TaskLog next = TaskLog.of(task, clock);
    next.collect();
    next.seal();
    assertThat(texts(task.file(TaskDir.LOG)))
        .filteredOn(s -> s.startsWith("1:"))
        .containsExactly("1:one\n", "1:two\n", "1:three\n", "1:four");
  }

  @Test
  void longLinesAreLoggedInPieces() throws Exception {
    TaskDir task = new TaskDir(dir);
    Files.writeString(task.file(TaskDir.STDOUT), "x".repeat(TaskLog.MAX_LINE + 10) + "\n");
    TaskLog log = TaskLog.of(task, Clock.systemUTC());
    log.seal();
    List<String> lines = texts(task.file(TaskDir.LOG));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).hasSize(2 + TaskLog.MAX_LINE);
    assertThat(lines.get(1)).isEqualTo("1:" + "x".repeat(10) + "\n");
  }
}
