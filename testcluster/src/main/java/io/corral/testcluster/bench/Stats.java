package io.corral.testcluster.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles and formatting of measured durations. */
final class Stats {

  private final List<Long> nanos = new ArrayList<>();

  void add(long elapsedNanos) {
    nanos.add(elapsedNanos);
  }

  void add(Duration d) {
    nanos.add(d.toNanos());
  }

  int count() {
    return nanos.size();
  }

  /** The p-th percentile (0 < p <= 100), nearest rank. */
  double percentileMillis(double p) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1)) / 1e6;
  }

  /** The median: the middle value, or the mean of the two middle values of an even count. */
  double medianMillis() {
    if (nanos.isEmpty()) {
      throw new IllegalStateException("no measurements");
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int mid = sorted.size() / 2;
    double median =
        sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2.0;
    return median / 1e6;
  }

  double minMillis() {
    return Collections.min(nanos) / 1e6;
  }

  double maxMillis() {
    return Collections.max(nanos) / 1e6;
  }

  static String ms(double millis) {
    return String.format("%.1f ms", millis);
  }
}
