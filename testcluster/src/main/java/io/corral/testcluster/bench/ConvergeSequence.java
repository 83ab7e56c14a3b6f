package io.corral.testcluster.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs the convergence rounds on one system: for each size N and round, create a service with N
 * replicas, scale it to 2N, back to N, and remove it, timing each step from the start of its CLI
 * call until a poll sees exactly the wanted number of tasks running (and, after scaling down, the
 * others ended).
 */
final class ConvergeSequence {

  /**
   * Removal is not measured, but the next round starts only once the previous service left nothing
   * running.
   */
  private static final Duration REMOVE_LIMIT = Duration.ofMinutes(3);

  private final ConvergeTarget target;
  private final Duration pollEvery;
  private final PrintStream progress;
  private final Function<Integer, Duration> limit;

  ConvergeSequence(ConvergeTarget target, Duration pollEvery, PrintStream progress) {
    this(target, pollEvery, progress, ConvergeSequence::limit);
  }

  /**
   * @param limit how long a step to the given number of replicas may take before it counts as not
   *     converged
   */
  ConvergeSequence(
      ConvergeTarget target,
      Duration pollEvery,
      PrintStream progress,
      Function<Integer, Duration> limit) {
    this.target = target;
    this.pollEvery = pollEvery;
    this.progress = progress;
    this.limit = limit;
  }

  /** How long a step to {@code replicas} tasks may take before it counts as not converged. */
  static Duration limit(int replicas) {
    return Duration.ofSeconds(60 + replicas);
  }

  ConvergeResults run(List<Integer> sizes, int rounds) {
    ConvergeResults results = new ConvergeResults(target.name());
    for (int n : sizes) {
      for (int round = 1; round <= rounds; round++) {
        String service = "bench-n" + n + "-r" + round;
        try {
          String took = runRound(results, service, n);
          progress.printf("  %s N=%d round %d/%d: %s%n", target.name(), n, round, rounds, took);
        } catch (TargetFailure e) {
          results.stop(e.getMessage());
          progress.printf(
              "  %s stopped at N=%d round %d: %s%n", target.name(), n, round, e.getMessage());
          removeQuietly(service);
          return results;
        }
      }
    }
    return results;
  }

  /**
   * One round; returns what each step took. A step that does not converge ends the round (removal
   * still runs).
   */
  private String runRound(ConvergeResults results, String service, int n) {
    List<String> took = new ArrayList<>();
    long t0 = System.nanoTime();
    call(results, () -> target.create(service, n));
    TargetFailure failure = null;
    try {
      if (step(results, service, n, n, Phase.CREATE, t0, took)) {
        t0 = System.nanoTime();
        call(results, () -> target.scale(service, 2 * n));
        if (step(results, service, n, 2 * n, Phase.SCALE_UP, t0, took)) {
          t0 = System.nanoTime();
          call(results, () -> target.scale(service, n));
          step(results, service, n, n, Phase.SCALE_DOWN, t0, took);
        }
      }
    } catch (TargetFailure e) {
      failure = e;
    }
    try {
      remove(service, n);
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

  private void call(ConvergeResults results, Runnable cli) {
    long t0 = System.nanoTime();
    cli.run();
    results.cliCalls().add(System.nanoTime() - t0);
  }

  /**
   * Polls until the service converged to {@code replicas}; records the time since {@code t0} (or a
   * timeout) in the row of size {@code n}. Returns whether it converged.
   */
  private boolean step(
      ConvergeResults results,
      String service,
      int n,
      int replicas,
      Phase phase,
      long t0,
      List<String> took) {
    PhaseTimes times = results.at(n, phase);
    Optional<Long> elapsed = await(results, service, replicas, t0, limit.apply(replicas));
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
      ConvergeResults results, String service, int replicas, long t0, Duration limit) {
    long deadline = t0 + limit.toNanos();
    String last = "nothing observed yet";
    while (true) {
      long p0 = System.nanoTime();
      boolean converged = false;
      try {
        ReplicaCount count = target.observe(service);
        converged = count.convergedTo(replicas);
        last = count.toString();
      } catch (TargetFailure e) {
        last = e.getMessage(); // e.g. a poll that timed out under load: the next one may answer
      }
      long p1 = System.nanoTime();
      results.polls().add(p1 - p0);
      if (converged) {
        return Optional.of(p1 - t0);
      }
      if (p1 > deadline) {
        progress.printf(
            "  %s: %s did not reach %d running within %s (last poll: %s)%n",
            target.name(), service, replicas, ConvergeTable.seconds(limit.toMillis()), last);
        return Optional.empty();
      }
      sleep(Math.max(0, pollEvery.toNanos() - (p1 - p0)));
    }
  }

  /** Removes the service (of up to {@code 2n} tasks) and waits until it left nothing running. */
  private void remove(String service, int n) {
    target.remove(service);
    Duration wait =
        limit.apply(2 * n).compareTo(REMOVE_LIMIT) > 0 ? limit.apply(2 * n) : REMOVE_LIMIT;
    long deadline = System.nanoTime() + wait.toNanos();
    while (!goneQuietly(service)) {
      if (System.nanoTime() > deadline) {
        throw new TargetFailure(
            "service "
                + service
                + " still had tasks running "
                + wait.toSeconds()
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
      // It may never have been created; the failure that stopped the run is what gets reported.
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
