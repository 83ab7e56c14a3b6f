package io.corral.manager.controller;

import io.corral.common.NamedThreads;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreEvent;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.Watch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one controller while this manager leads: a full pass when it becomes leader (or its watch
 * had to be reopened), then a pass after every batch of relevant store changes, when the pass asked
 * to be woken, and every {@code resync} as a safety net. Passes read everything from the store, so
 * nothing is lost when leadership moves: the next leader's first pass converges from what is
 * stored.
 */
public final class ControllerLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);

  /** Events drained into one pass at most; a steady stream of changes still lets passes run. */
  private static final int MAX_COALESCED = 10_000;

  /**
   * One pass: reads the store, writes its decisions, returns when it wants to run again if nothing
   * changes.
   */
  @FunctionalInterface
  public interface Pass {
    Optional<Instant> run();
  }

  /**
   * @param tick the longest wait between checks of leadership and of due wake-ups (also the
   *     back-off after a failed pass)
   * @param resync a full pass runs at least this often even without changes
   */
  public record Timing(Duration tick, Duration resync) {
    public static final Timing DEFAULT = new Timing(Duration.ofMillis(200), Duration.ofSeconds(30));
  }

  private final String name;
  private final Store store;
  private final BooleanSupplier leading;
  private final Clock clock;
  private final Predicate<StoreEvent> trigger;
  private final Pass pass;
  private final Timing timing;
  private final Thread thread;
  private volatile boolean closed;

  public ControllerLoop(
      String name,
      Store store,
      BooleanSupplier leading,
      Clock clock,
      Predicate<StoreEvent> trigger,
      Pass pass,
      Timing timing) {
    this.name = name;
    this.store = store;
    this.leading = leading;
    this.clock = clock;
    this.trigger = trigger;
    this.pass = pass;
    this.timing = timing;
    this.thread = NamedThreads.daemonThread(this::run, name);
  }

  public ControllerLoop start() {
    thread.start();
    return this;
  }

  private void run() {
    while (!closed) {
      try {
        if (!leading.getAsBoolean()) {
          Thread.sleep(timing.tick().toMillis());
          continue;
        }
        try (Watch watch = store.watch(trigger)) {
          LOG.debug("{}: leading, starting with a full pass", name);
          follow(watch);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        // A closed watch (fell behind) or a store error: re-read everything after a pause.
        LOG.debug("{}: restarting its watch: {}", name, e.toString());
        if (!pause()) {
          return;
        }
      }
    }
  }

  private void follow(Watch watch) throws InterruptedException {
    Optional<Instant> due = runPass();
    long lastPass = System.nanoTime();
    while (!closed && leading.getAsBoolean()) {
      Duration wait = timing.tick();
      if (due.isPresent()) {
        Duration left = Duration.between(clock.instant(), due.get());
        if (left.compareTo(wait) < 0) {
          wait = left.isNegative() ? Duration.ZERO : left;
        }
      }
      StoreEvent e = wait.isZero() ? null : watch.poll(wait);
      boolean changed = e != null;
      for (int n = 0; e != null && n < MAX_COALESCED; n++) {
        e = watch.poll(Duration.ZERO);
      }
      boolean dueNow = due.isPresent() && !clock.instant().isBefore(due.get());
      boolean resync = System.nanoTime() - lastPass >= timing.resync().toNanos();
      if (changed || dueNow || resync) {
        due = runPass();
        lastPass = System.nanoTime();
      }
    }
  }

  private Optional<Instant> runPass() {
    try {
      return pass.run();
    } catch (StoreException e) {
      if (closed) {
        throw e;
      }
      LOG.warn("{}: pass failed, retrying: {}", name, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("{}: pass failed, retrying", name, e);
    }
    return pause() ? Optional.of(clock.instant()) : Optional.empty();
  }

  private boolean pause() {
    try {
      Thread.sleep(timing.tick().toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
