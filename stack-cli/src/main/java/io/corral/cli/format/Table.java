package io.corral.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligns tab-separated cells into columns exactly as the docker CLI does: Go's {@code
 * text/tabwriter} with docker's settings (minimum cell width 10, padding 3, spaces, left aligned).
 * As in tabwriter, the text after the last tab of a line is not a column cell and is printed
 * unpadded, and a column only spans the consecutive lines that have a cell in it.
 */
public final class Table {

  /** Docker's {@code tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)}. */
  public static final int DOCKER_MIN_WIDTH = 10;

  public static final int DOCKER_PADDING = 3;

  private final int minWidth;
  private final int padding;
  private final List<List<String>> lines = new ArrayList<>();

  /** A table laid out like docker's. */
  public Table() {
    this(DOCKER_MIN_WIDTH, DOCKER_PADDING);
  }

  public Table(int minWidth, int padding) {
    this.minWidth = minWidth;
    this.padding = padding;
  }

  /** Adds one line whose cells are {@code cells}. */
  public Table row(String... cells) {
    return row(List.of(cells));
  }

  /** Adds one line whose cells are {@code cells}. */
  public Table row(List<String> cells) {
    lines.add(List.copyOf(cells));
    return this;
  }

  /**
   * Adds text in tabwriter form: cells separated by tabs, lines by newlines (a final newline is
   * optional).
   */
  public Table text(String text) {
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    for (String line : body.split("\n", -1)) {
      lines.add(List.of(line.split("\t", -1)));
    }
    return this;
  }

  /** The aligned text, every line ended by a newline. */
  public String render() {
    StringBuilder out = new StringBuilder();
    format(out, new ArrayList<>(), 0, lines.size());
    return out.toString();
  }

  /**
   * Go's tabwriter.format: finds the column blocks of column {@code widths.size()} in lines [line0,
   * line1).
   */
  private void format(StringBuilder out, List<Integer> widths, int line0, int line1) {
    int column = widths.size();
    for (int current = line0; current < line1; current++) {
      if (column >= lines.get(current).size() - 1) {
        continue;
      }
      // This line has a cell in the column: lines before it are finished with the widths known so
      // far.
      write(out, widths, line0, current);
      line0 = current;
      int width = minWidth;
      for (; current < line1; current++) {
        List<String> line = lines.get(current);
        if (column >= line.size() - 1) {
          break;
        }
        width = Math.max(width, displayWidth(line.get(column)) + padding);
      }
      widths.add(width);
      format(out, widths, line0, current);
      widths.remove(widths.size() - 1);
      line0 = current;
      current--; // the loop increments it back to the first line after the block
    }
    write(out, widths, line0, line1);
  }

  private void write(StringBuilder out, List<Integer> widths, int from, int to) {
    for (int i = from; i < to; i++) {
      List<String> line = lines.get(i);
      for (int j = 0; j < line.size(); j++) {
        String cell = line.get(j);
        out.append(cell);
        if (j < widths.size()) {
          out.append(" ".repeat(Math.max(0, widths.get(j) - displayWidth(cell))));
        }
      }
      out.append('\n');
    }
  }

  /** Go counts runes, not UTF-16 units. */
  private static int displayWidth(String s) {
    return s.codePointCount(0, s.length());
  }
}
