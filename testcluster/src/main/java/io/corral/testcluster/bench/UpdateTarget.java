package io.corral.testcluster.bench;

import java.time.Duration;
import java.util.List;

/**
 * A cluster manager under test for rolling updates: creates a replicated service, updates its
 * image, rolls it back and removes it through its CLI, and reports the service's tasks. Methods
 * throw {@link TargetFailure} when the system refuses or cannot be asked.
 */
interface UpdateTarget {

  /** A name for the figures, e.g. "corral (process executor)". */
  String name();

  /**
   * Creates the service on {@code image} with the update and rollback configs of the benchmark
   * (parallelism, delay 0, monitor), so that a rollback runs at the same pace as the update.
   */
  void create(String service, int replicas, String image, int parallelism, Duration monitor);

  /** Starts a rolling update to {@code image} and returns once the system accepted it. */
  void update(String service, String image, int parallelism, Duration monitor);

  /** Starts a rollback to the previous spec and returns once the system accepted it. */
  void rollback(String service);

  void remove(String service);

  /** The service's tasks now; a task is on the new spec when it was made from {@code image}'s. */
  List<UpdateTaskView> observe(String service, String image);

  /** True when a removed service has left nothing running. */
  boolean gone(String service);

  /** A Go duration for the CLIs, e.g. "5s" or "500ms". */
  static String goDuration(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
