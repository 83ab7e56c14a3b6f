package io.corral.cli.service.progress;

/**
 * One line of convergence progress, as docker's {@code progress.Progress}: an id ("overall
 * progress", "3/10", a node id), the action text, and for task lines a bar position {@code current}
 * of {@code total} (total 0 = no bar). A line with an empty id is a plain message ("job complete").
 */
public record ProgressLine(String id, String action, int current, int total) {

  /** A line without a bar. */
  public static ProgressLine text(String id, String action) {
    return new ProgressLine(id, action, 0, 0);
  }

  public boolean hasBar() {
    return total > 0;
  }
}
