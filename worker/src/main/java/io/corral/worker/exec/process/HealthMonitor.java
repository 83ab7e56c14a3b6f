package io.corral.worker.exec.process;

import io.corral.api.TaskStatus.Health;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task's health checks one after another, each {@link HealthTracker#delayAfter} the end of
 * the last (the first after the start), while {@code active} holds, and tells {@code listener} of
 * every change of health; after UNHEALTHY it checks no more. Checks block on {@code runner}, the
 * waits between them are scheduled on {@code timer}.
 */
final class HealthMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  private final String taskId;
  private final HealthTracker tracker;
  private final HealthProbe probe;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final Executor runner;
  private final BooleanSupplier active;
  private final Consumer<Health> listener;

  HealthMonitor(
      String taskId,
      HealthTracker tracker,
      HealthProbe probe,
      Clock clock,
      ScheduledExecutorService timer,
      Executor runner,
      BooleanSupplier active,
      Consumer<Health> listener) {
    this.taskId = taskId;
    this.tracker = tracker;
    this.probe = probe;
    this.clock = clock;
    this.timer = timer;
    this.runner = runner;
    this.active = active;
    this.listener = listener;
  }

  /** Schedules the first check. */
  void start() {
    next();
  }

  private void next() {
    if (!active.getAsBoolean()) {
      return;
    }
    Duration delay = tracker.delayAfter(clock.instant());
    try {
      timer.schedule(
          () -> {
            try {
              runner.execute(this::checkOnce);
            } catch (RejectedExecutionException closed) {
              // the backend closed: the next daemon checks the task again
            }
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // the backend closed: the next daemon checks the task again
    }
  }

  private void checkOnce() {
    if (!active.getAsBoolean()) {
      return;
    }
    Instant began = clock.instant();
    HealthProbe.Result result = probe.run();
    if (!active.getAsBoolean()) {
      return; // ended or stopping meanwhile: a check of a dying task says nothing
    }
    Health before = tracker.health();
    Health after = tracker.record(began, result.passed());
    if (!result.passed()) {
      LOG.debug(
          "health check of task {} failed ({} in a row): {}",
          taskId,
          tracker.failingStreak(),
          result.problem());
    }
    if (after != before) {
      if (after == Health.UNHEALTHY) {
        LOG.info(
            "task {} is unhealthy after {} failed checks; last: {}",
            taskId,
            tracker.failingStreak(),
            result.problem());
      }
      listener.accept(after);
    }
    if (after != Health.UNHEALTHY) {
      next();
    }
  }
}
