package io.corral.testcluster.bench;

/**
 * The times one phase took at one size over the rounds, and how many rounds did not converge in
 * time.
 */
final class PhaseTimes {

  private final Stats converged = new Stats();
  private int timeouts;

  void add(long elapsedNanos) {
    converged.add(elapsedNanos);
  }

  void timedOut() {
    timeouts++;
  }

  int successes() {
    return converged.count();
  }

  int timeouts() {
    return timeouts;
  }

  /** Median of the rounds that converged; only when at least one did. */
  double medianMillis() {
    return converged.medianMillis();
  }
}
