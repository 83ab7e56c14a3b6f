package io.corral.testcluster.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the update rounds on one system: for each round and parallelism P, create a service of N
 * replicas on the first image (not timed), update it to the second image with parallelism P, roll
 * it back, and remove it; each step is timed from the start of its CLI call until a poll sees every
 * task of the new spec running and every other task ended.
 */
final class UpdateSequence {

  /** Creation and removal are not measured; they only have to finish before the next step. */
  private static final Duration SETUP_LIMIT = Duration.ofMinutes(3);

  private final UpdateTarget target;
  private final Duration pollEvery;
  private final PrintStream progress;
  private final int replicas;
  private final Duration monitor;
  private final String first;
  private final String second;

  /**
   * @param first the image services are created on and rolled back to
   * @param second the image they are updated to
   */
  UpdateSequence(
      UpdateTarget target,
      Duration pollEvery,
      PrintStream progress,
      int replicas,
      Duration monitor,
      String first,
      String second) {
    this.target = target;
    this.pollEvery = pollEvery;
    this.progress = progress;
    this.replicas = replicas;
    this.monitor = monitor;
    this.first = first;
    this.second = second;
  }

  /**
   * How long one update or rollback may take before it counts as not finished: a minute, plus for
   * each batch the monitor and 5 s to replace its tasks.
   */
  static Duration limit(int replicas, int parallelism, Duration monitor) {
    int batches = (replicas + parallelism - 1) / parallelism;
    return Duration.ofMinutes(1).plus(monitor.plusSeconds(5).multipliedBy(batches));
  }

  UpdateResults run(List<Integer> parallelisms, int rounds) {
    UpdateResults results = new UpdateResults(target.name());
    for (int round = 1; round <= rounds; round++) {
      for (int p : parallelisms) {
        String service = "upd-p" + p + "-r" + round;
        try {
          String took = runRound(results, service, p);
          progress.printf("  %s p=%d round %d/%d: %s%n", target.name(), p, round, rounds, took);
        } catch (TargetFailure e) {
          results.stop(e.getMessage());
          progress.printf(
              "  %s stopped at p=%d round %d: %s%n", target.name(), p, round, e.getMessage());
          removeQuietly(service);
          return results;
        }
      }
    }
    return results;
  }

  private String runRound(UpdateResults results, String service, int p) {
    List<String> took = new ArrayList<>();
    TargetFailure failure = null;
    try {
      long t0 = System.nanoTime();
      target.create(service, replicas, first, p, monitor);
      if (await(results, service, first, t0, SETUP_LIMIT).isEmpty()) {
        throw new TargetFailure(
            service + " did not get its " + replicas + " replicas running (not timed)");
      }
      UpdatePhase update = new UpdatePhase(UpdatePhase.Kind.UPDATE, p);
      t0 = System.nanoTime();
      call(results, () -> target.update(service, second, p, monitor));
      if (step(results, service, update, t0, took)) {
        UpdatePhase rollback = new UpdatePhase(UpdatePhase.Kind.ROLLBACK, p);
        t0 = System.nanoTime();
        call(results, () -> target.rollback(service));
        step(results, service, rollback, t0, took);
      }
    } catch (TargetFailure e) {
      failure = e;
    }
    try {
      remove(service);
    } catch (TargetFailure e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return String.join(", ", took);
  }

  private void call(UpdateResults results, Runnable cli) {
    long t0 = System.nanoTime();
    cli.run();
    results.cliCalls().add(System.nanoTime() - t0);
  }

  /** Polls until the phase is done; records the time since {@code t0} or a timeout. */
  private boolean step(
      UpdateResults results, String service, UpdatePhase phase, long t0, List<String> took) {
    PhaseTimes times = results.at(phase);
    String image = phase.targetImage(first, second);
    Optional<Long> elapsed =
        await(results, service, image, t0, limit(replicas, phase.parallelism(), monitor));
    if (elapsed.isPresent()) {
      times.add(elapsed.get());
      took.add(phase.title() + " " + ConvergeTable.seconds(elapsed.get() / 1e6));
      return true;
    }
    times.timedOut();
    took.add(phase.title() + " timeout");
    return false;
  }

  private Optional<Long> await(
      UpdateResults results, String service, String image, long t0, Duration limit) {
    long deadline = t0 + limit.toNanos();
    String last = "nothing observed yet";
    while (true) {
      long p0 = System.nanoTime();
      boolean done = false;
      try {
        UpdateProgress now = UpdateProgress.of(target.observe(service, image));
        done = now.doneAt(replicas);
        last = now.toString();
      } catch (TargetFailure e) {
        last = e.getMessage(); // e.g. a poll that timed out under load: the next one may answer
      }
      long p1 = System.nanoTime();
      results.polls().add(p1 - p0);
      if (done) {
        return Optional.of(p1 - t0);
      }
      if (p1 > deadline) {
        progress.printf(
            "  %s: %s did not get %d tasks of %s running within %s (last poll: %s)%n",
            target.name(), service, replicas, image, ConvergeTable.seconds(limit.toMillis()), last);
        return Optional.empty();
      }
      sleep(Math.max(0, pollEvery.toNanos() - (p1 - p0)));
    }
  }

  /** Removes the service and waits until it left nothing running. */
  private void remove(String service) {
    target.remove(service);
    long deadline = System.nanoTime() + SETUP_LIMIT.toNanos();
    while (!goneQuietly(service)) {
      if (System.nanoTime() > deadline) {
        throw new TargetFailure(
            "service "
                + service
                + " still had tasks running "
                + SETUP_LIMIT.toSeconds()
                + " s after it was removed");
      }
      sleep(pollEvery.toNanos());
    }
  }

  private boolean goneQuietly(String service) {
    try {
      return target.gone(service);
    } catch (TargetFailure e) {
      return false;
    }
  }

  private void removeQuietly(String service) {
    try {
      target.remove(service);
    } catch (TargetFailure e) {
      // It may never have been created, or runRound removed it; the first failure is reported.
    }
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TargetFailure("interrupted", e);
    }
  }
}
