package io.corral.testcluster.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures of {@code corral-bench update}: per phase, the median of each Corral executor and of
 * Docker Swarm, and per executor the speed-up (Swarm's median over Corral's; above 1 means Corral
 * was faster).
 */
final class UpdateTable {

  private static final int FIRST = 14;
  private static final String NONE = "-";

  private UpdateTable() {}

  /** The table; {@code swarm} is empty when Docker Swarm did not run, its cells are then "-". */
  static String render(
      List<UpdatePhase> phases, List<UpdateResults> corral, Optional<UpdateResults> swarm) {
    List<String> head = new ArrayList<>(List.of("phase"));
    corral.forEach(c -> head.add(c.system()));
    head.add(swarm.map(UpdateResults::system).orElse("docker swarm"));
    corral.forEach(c -> head.add("speed-up " + shortName(c.system())));
    List<List<String>> rows = new ArrayList<>();
    boolean partial = false;
    for (UpdatePhase phase : phases) {
      List<String> row = new ArrayList<>(List.of(phase.title()));
      Optional<PhaseTimes> s = swarm.flatMap(r -> r.find(phase));
      partial |= isPartial(s);
      for (UpdateResults c : corral) {
        partial |= isPartial(c.find(phase));
        row.add(ConvergeTable.cell(c.find(phase)));
      }
      row.add(ConvergeTable.cell(s));
      corral.forEach(c -> row.add(speedUp(c.find(phase), s)));
      rows.add(row);
    }
    int[] widths = new int[head.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = i == 0 ? FIRST : head.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    String header = line(head, widths);
    out.append(header).append('\n').append("-".repeat(header.length())).append('\n');
    rows.forEach(r -> out.append(line(r, widths)).append('\n'));
    if (partial) {
      out.append("* some rounds did not finish within the limit: median of the rounds that did\n");
    }
    return out.toString();
  }

  /** Swarm's median over Corral's, e.g. "3.10x"; "-" unless both have one. */
  static String speedUp(Optional<PhaseTimes> corral, Optional<PhaseTimes> swarm) {
    if (!hasMedian(corral) || !hasMedian(swarm) || corral.get().medianMillis() <= 0) {
      return NONE;
    }
    return String.format(
        Locale.ROOT, "%.2fx", swarm.get().medianMillis() / corral.get().medianMillis());
  }

  /** "corral (docker executor)" is "docker". */
  private static String shortName(String system) {
    int open = system.indexOf('(');
    int space = system.indexOf(' ', open + 1);
    return open < 0 || space < 0 ? system : system.substring(open + 1, space);
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String format = i == 0 ? "%-" + widths[i] + "s" : " | %" + widths[i] + "s";
      b.append(String.format(format, cells.get(i)));
    }
    return b.toString().stripTrailing();
  }

  private static boolean hasMedian(Optional<PhaseTimes> times) {
    return times.isPresent() && times.get().successes() > 0;
  }

  private static boolean isPartial(Optional<PhaseTimes> times) {
    return times.isPresent() && times.get().successes() > 0 && times.get().timeouts() > 0;
  }
}
