package io.corral.manager.task;

import io.corral.api.Task;
import io.corral.common.ProtoTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The restarts one slot has had under one spec version, oldest first. It travels in {@code
 * Task.restarts} from each task to its replacement, so the count survives a leader change and the
 * reaper deleting old tasks.
 */
public record RestartHistory(List<Instant> restarts) {

  public static final RestartHistory EMPTY = new RestartHistory(List.of());

  public RestartHistory {
    restarts = List.copyOf(restarts);
  }

  /** The history a task carries. */
  public static RestartHistory of(Task task) {
    if (task.getRestartsCount() == 0) {
      return EMPTY;
    }
    return new RestartHistory(task.getRestartsList().stream().map(ProtoTime::instant).toList());
  }

  /**
   * Restarts that count at {@code now}: all of them, or those within the window when one is set.
   */
  public int countWithin(Duration window, Instant now) {
    if (window.isZero() || window.isNegative()) {
      return restarts.size();
    }
    Instant from = now.minus(window);
    return (int) restarts.stream().filter(r -> r.isAfter(from)).count();
  }

  /**
   * This history plus a restart at {@code at}, keeping only the last {@code keep} entries (older
   * ones never count).
   */
  public RestartHistory plus(Instant at, int keep) {
    List<Instant> next = new ArrayList<>(restarts);
    next.add(at);
    int from = Math.max(0, next.size() - Math.max(keep, 1));
    return new RestartHistory(next.subList(from, next.size()));
  }

  /** The task carrying this history (and no other). */
  public Task applyTo(Task task) {
    return task.toBuilder()
        .clearRestarts()
        .addAllRestarts(restarts.stream().map(ProtoTime::timestamp).toList())
        .build();
  }
}
