package io.corral.testcluster.bench;

import java.util.List;
import java.util.Locale;

/**
 * The markdown table of {@code corral-bench network}: one row per figure, one column per system.
 */
final class NetworkTable {

  private NetworkTable() {}

  static String render(List<NetFigures> systems) {
    StringBuilder b = new StringBuilder("| figure |");
    systems.forEach(s -> b.append(' ').append(s.system).append(" |"));
    b.append("\n|---|");
    systems.forEach(s -> b.append("---|"));
    b.append('\n');
    for (NetFigures.Kind k : NetFigures.Kind.values()) {
      row(b, k.label + ": p50 / p99, requests/s", systems, s -> requests(s.requests.get(k)));
    }
    row(b, "DNS query of the service name: p50 / p99", systems, s -> queries(s.dns));
    row(
        b,
        "new task RUNNING -> in DNS (tasks.NAME) on every client node: median / max",
        systems,
        s -> visibility(s.inDns));
    row(
        b,
        "new task RUNNING -> answering through the VIP on every client node: median / max",
        systems,
        s -> visibility(s.viaVip));
    return b.toString();
  }

  private static void row(
      StringBuilder b,
      String label,
      List<NetFigures> systems,
      java.util.function.Function<NetFigures, String> cell) {
    b.append("| ").append(label).append(" |");
    systems.forEach(s -> b.append(' ').append(cell.apply(s)).append(" |"));
    b.append('\n');
  }

  static String requests(NetFigures.Requests r) {
    if (r == null) {
      return "not measured";
    }
    int total = r.answered() + r.failed;
    if (total == 0) {
      return "not measured";
    }
    if (r.answered() == 0) {
      return "fails (0 of " + total + " answered)";
    }
    String cell =
        String.format(
            Locale.ROOT,
            "%.3f / %.3f ms, %.0f/s",
            r.latency.percentileMillis(50),
            r.latency.percentileMillis(99),
            r.perSecond());
    return r.failed == 0 ? cell : cell + " (" + r.failed + " of " + total + " failed)";
  }

  /** Latencies alone: queries are sent one after another, so a rate would only restate them. */
  static String queries(NetFigures.Requests r) {
    int total = r.answered() + r.failed;
    if (total == 0) {
      return "not measured";
    }
    if (r.answered() == 0) {
      return "fails (0 of " + total + " answered)";
    }
    String cell =
        String.format(
            Locale.ROOT,
            "%.3f / %.3f ms",
            r.latency.percentileMillis(50),
            r.latency.percentileMillis(99));
    return r.failed == 0 ? cell : cell + " (" + r.failed + " of " + total + " failed)";
  }

  static String visibility(NetFigures.Visibility v) {
    int total = v.delay.count() + v.timedOut;
    if (total == 0) {
      return v.notes.isEmpty() ? "not measured" : String.join("; ", v.notes);
    }
    if (v.delay.count() == 0) {
      return "fails (never seen by " + v.timedOut + " of " + total + " watchers)";
    }
    String cell =
        String.format(Locale.ROOT, "%.0f / %.0f ms", v.delay.medianMillis(), v.delay.maxMillis());
    return v.timedOut == 0 ? cell : cell + " (" + v.timedOut + " of " + total + " never saw it)";
  }
}
