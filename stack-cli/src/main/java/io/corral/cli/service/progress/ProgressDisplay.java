package io.corral.cli.service.progress;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Prints progress lines. On a terminal it behaves like docker's {@code jsonmessage} stream: one
 * screen line per id, redrawn in place with ANSI cursor movements, task lines with a 50-column bar.
 * Elsewhere (a pipe, a CI log) each id's line is printed as plain text whenever its text changes,
 * without bars.
 */
public final class ProgressDisplay {

  private static final String ESC = "\u001b[";

  private final PrintWriter out;
  private final boolean terminal;
  // Terminal: screen line of each id. Plain: last text printed for each id.
  private final Map<String, Integer> lines = new HashMap<>();
  private final Map<String, String> printed = new HashMap<>();

  public ProgressDisplay(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Shows {@code line}. */
  public void show(ProgressLine line) {
    if (terminal) {
      showOnTerminal(line);
    } else {
      showPlain(line);
    }
    out.flush();
  }

  private void showPlain(ProgressLine line) {
    String text = line.action().strip();
    if (line.id().isEmpty()) {
      out.println(text);
      return;
    }
    if (text.isEmpty() || text.equals(printed.get(line.id()))) {
      return;
    }
    printed.put(line.id(), text);
    out.println(line.id() + ": " + text);
  }

  private void showOnTerminal(ProgressLine line) {
    if (line.id().isEmpty()) {
      // Like docker, a message without an id ends the block of redrawn lines.
      lines.clear();
      out.print(line.action() + "\n");
      return;
    }
    Integer at = lines.get(line.id());
    if (at == null) {
      at = lines.size();
      lines.put(line.id(), at);
      out.print("\n");
    }
    int up = lines.size() - at;
    out.print(ESC + up + "A");
    out.print(ESC + "2K\r" + line.id() + ": " + line.action() + " " + bar(line) + "\r");
    out.print(ESC + up + "B");
  }

  /**
   * Docker's JSONProgress bar with HideCounts: {@code [=====> ] }, empty for a line without one.
   */
  static String bar(ProgressLine line) {
    if (!line.hasBar()) {
      return "";
    }
    int percentage = Math.min(50, (int) ((double) line.current() / line.total() * 100) / 2);
    return "[" + "=".repeat(percentage) + ">" + " ".repeat(50 - percentage) + "] ";
  }
}
