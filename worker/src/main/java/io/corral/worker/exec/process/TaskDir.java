package io.corral.worker.exec.process;

import io.corral.api.ContainerSpec;
import io.corral.api.TaskStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One task's state directory, {@code <stateDir>/<taskId>/}: the launch record, the raw output the
 * process writes, the exit code its wrapper writes, markers for a requested stop and a kill, the
 * timestamped log, the container spec (for health checks after a restart) and the last health
 * check's output, and the final status once the task has ended. Files that must never be seen
 * half-written are replaced atomically.
 */
final class TaskDir {

  static final String LAUNCH = "launch.properties";
  static final String STDOUT = "stdout";
  static final String STDERR = "stderr";
  static final String EXIT = "exit";
  static final String LOG = "log";
  static final String WRAPPER_ERR = "wrapper.err";
  static final String WRAPPER_PID = "wrapper.pid";
  private static final String STOP_REQUESTED = "stop-requested";
  private static final String KILLED = "killed";
  private static final String RESULT = "result.pb";
  private static final String SPEC = "spec.pb";
  private static final String NETNS = "netns";
  static final String HEALTHCHECK_OUTPUT = "healthcheck.out";

  private final Path dir;

  TaskDir(Path dir) {
    this.dir = dir;
  }

  Path path() {
    return dir;
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  boolean exists() {
    return Files.isDirectory(dir);
  }

  void create() throws IOException {
    Files.createDirectories(dir);
  }

  void writeLaunch(LaunchRecord record) throws IOException {
    writeAtomically(LAUNCH, out -> record.toProperties().store(out, "corral process task"));
  }

  /** The launch record, or empty when the task never got as far as starting a process. */
  Optional<LaunchRecord> readLaunch() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file(LAUNCH))) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(LaunchRecord.fromProperties(p));
  }

  /**
   * The exit code the wrapper wrote, or empty while there is none (or it is still being written).
   */
  OptionalInt exitCode() {
    try {
      String s = Files.readString(file(EXIT), StandardCharsets.US_ASCII).strip();
      return s.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(s));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** When the exit code was written: when the task process ended. */
  Optional<FileTime> exitTime() {
    try {
      return Optional.of(Files.getLastModifiedTime(file(EXIT)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  void markStopRequested() throws IOException {
    touch(STOP_REQUESTED);
  }

  boolean stopRequested() {
    return Files.exists(file(STOP_REQUESTED));
  }

  void markKilled() throws IOException {
    touch(KILLED);
  }

  boolean killed() {
    return Files.exists(file(KILLED));
  }

  void writeResult(TaskStatus status) throws IOException {
    writeAtomically(RESULT, status::writeTo);
  }

  /** The final status recorded when the task ended, or empty while it has not. */
  Optional<TaskStatus> readResult() throws IOException {
    try (InputStream in = Files.newInputStream(file(RESULT))) {
      return Optional.of(TaskStatus.parseFrom(in));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Keeps the task's container spec, from which a later daemon runs its health check again. */
  void writeSpec(ContainerSpec spec) throws IOException {
    writeAtomically(SPEC, spec::writeTo);
  }

  /** Keeps the name of the network namespace the task runs in (a task on overlay networks). */
  void writeNetns(String name) throws IOException {
    writeAtomically(NETNS, out -> out.write(name.getBytes(StandardCharsets.UTF_8)));
  }

  /** The task's network namespace, or empty when it runs in the node's. */
  Optional<String> readNetns() throws IOException {
    try {
      String name = Files.readString(file(NETNS), StandardCharsets.UTF_8).strip();
      return name.isEmpty() ? Optional.empty() : Optional.of(name);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The container spec kept at prepare, or empty for a task prepared before it was kept. */
  Optional<ContainerSpec> readSpec() throws IOException {
    try (InputStream in = Files.newInputStream(file(SPEC))) {
      return Optional.of(ContainerSpec.parseFrom(in));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The wrapper's own error output (e.g. setsid failing), for an error message; "" when none. */
  String wrapperErrors() {
    try {
      return Files.readString(file(WRAPPER_ERR), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The pid the wrapper wrote when it started, if that process still runs this task's wrapper (its
   * command line names this directory): a process started just before a crash, before its launch
   * record was written.
   */
  OptionalInt orphanWrapper() {
    try {
      int pid =
          Integer.parseInt(Files.readString(file(WRAPPER_PID), StandardCharsets.US_ASCII).strip());
      byte[] cmdline = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline"));
      String args = new String(cmdline, StandardCharsets.UTF_8);
      return args.contains("corral-task\0" + dir + "\0")
          ? OptionalInt.of(pid)
          : OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** Deletes the directory and everything in it. */
  void delete() throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void touch(String name) throws IOException {
    try {
      Files.createFile(file(name));
    } catch (FileAlreadyExistsException e) {
      // already marked
    }
  }

  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private void writeAtomically(String name, Writer writer) throws IOException {
    Path tmp = file(name + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      writer.write(out);
    }
    try {
      Files.move(
          tmp, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
