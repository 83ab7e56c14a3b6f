package io.corral.testcluster.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures of {@code corral-bench converge} for one executor: per size N, the median time of
 * each phase on Corral and on Docker Swarm and their ratio (Corral / Docker; above 1 means Corral
 * was slower).
 */
final class ConvergeTable {

  private static final int CELL = 10;
  private static final String NONE = "-";

  private ConvergeTable() {}

  /**
   * The table; {@code docker} is empty when Docker Swarm did not run, and its columns then show
   * "-".
   */
  static String render(
      List<Integer> sizes, ConvergeResults corral, Optional<ConvergeResults> docker) {
    StringBuilder out = new StringBuilder();
    StringBuilder top = new StringBuilder(String.format("%6s", ""));
    StringBuilder head = new StringBuilder(String.format("%6s", "N"));
    for (Phase phase : Phase.values()) {
      top.append(" | ").append(center(phase.title(), 3 * CELL));
      head.append(" | ").append(pad("corral")).append(pad("docker")).append(pad("ratio"));
    }
    out.append(top.toString().stripTrailing()).append('\n').append(head).append('\n');
    out.append("-".repeat(head.length())).append('\n');
    boolean partial = false;
    for (int n : sizes) {
      StringBuilder row = new StringBuilder(String.format("%6d", n));
      for (Phase phase : Phase.values()) {
        Optional<PhaseTimes> c = corral.find(n, phase);
        Optional<PhaseTimes> d = docker.flatMap(r -> r.find(n, phase));
        partial |= isPartial(c) || isPartial(d);
        row.append(" | ").append(pad(cell(c))).append(pad(cell(d))).append(pad(ratio(c, d)));
      }
      out.append(row.toString().stripTrailing()).append('\n');
    }
    if (partial) {
      out.append(
          "* some rounds did not converge within the limit: median of the rounds that did\n");
    }
    return out.toString();
  }

  /**
   * The median in seconds, "*" when some rounds timed out, "timeout" when all did, "-" when it
   * never ran.
   */
  static String cell(Optional<PhaseTimes> times) {
    if (times.isEmpty() || times.get().successes() + times.get().timeouts() == 0) {
      return NONE;
    }
    PhaseTimes t = times.get();
    if (t.successes() == 0) {
      return "timeout";
    }
    return seconds(t.medianMillis()) + (t.timeouts() > 0 ? "*" : "");
  }

  /** Corral's median over Docker's, e.g. "1.52x"; "-" unless both have one. */
  static String ratio(Optional<PhaseTimes> corral, Optional<PhaseTimes> docker) {
    if (!hasMedian(corral) || !hasMedian(docker) || docker.get().medianMillis() <= 0) {
      return NONE;
    }
    return String.format(
        Locale.ROOT, "%.2fx", corral.get().medianMillis() / docker.get().medianMillis());
  }

  static String seconds(double millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000);
  }

  private static boolean hasMedian(Optional<PhaseTimes> times) {
    return times.isPresent() && times.get().successes() > 0;
  }

  private static boolean isPartial(Optional<PhaseTimes> times) {
    return times.isPresent() && times.get().successes() > 0 && times.get().timeouts() > 0;
  }

  private static String pad(String text) {
    return String.format("%" + CELL + "s", text);
  }

  private static String center(String text, int width) {
    int left = Math.max(0, (width - text.length()) / 2);
    return " ".repeat(left) + text + " ".repeat(Math.max(0, width - text.length() - left));
  }
}
