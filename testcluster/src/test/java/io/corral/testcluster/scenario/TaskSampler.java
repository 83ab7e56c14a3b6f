package io.corral.testcluster.scenario;

import io.corral.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads a service's task list over and over on a background thread until closed, and keeps every
 * list read: how the update scenarios check what held while an update ran, not only how it ended. A
 * read that fails (a manager electing a leader) is skipped.
 */
final class TaskSampler implements AutoCloseable {

  private static final long INTERVAL_MILLIS = 100;

  private final Supplier<List<Task>> read;
  private final List<List<Task>> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  private TaskSampler(Supplier<List<Task>> read) {
    this.read = read;
    this.thread = new Thread(this::loop, "task-sampler");
    this.thread.setDaemon(true);
  }

  /** Starts sampling; the first sample is taken before this returns. */
  static TaskSampler start(Supplier<List<Task>> read) {
    TaskSampler s = new TaskSampler(read);
    s.sampleOnce();
    s.thread.start();
    return s;
  }

  private void loop() {
    while (!stopped) {
      sampleOnce();
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sampleOnce() {
    try {
      List<Task> tasks = read.get();
      synchronized (samples) {
        samples.add(List.copyOf(tasks));
      }
    } catch (RuntimeException e) {
      // No answer this time (e.g. during a leader election); the next read may get one.
    }
  }

  /** Every task list read so far, oldest first. */
  List<List<Task>> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** Stops sampling, takes one last sample and returns them all. */
  List<List<Task>> stop() {
    close();
    sampleOnce();
    return samples();
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
