package io.corral.testcluster.bench;

import java.util.ArrayList;
import java.util.List;

/** One measured step of {@code corral-bench update}: an update or a rollback at a parallelism. */
record UpdatePhase(Kind kind, int parallelism) {

  /** What the step does to the service. */
  enum Kind {
    UPDATE("update"),
    ROLLBACK("rollback");

    private final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  /**
   * The steps in the order they run: for each parallelism an update of a fresh service from the
   * first image to the second, then its rollback to the first; each is a real change of image.
   */
  static List<UpdatePhase> plan(List<Integer> parallelisms) {
    List<UpdatePhase> phases = new ArrayList<>();
    for (int p : parallelisms) {
      phases.add(new UpdatePhase(Kind.UPDATE, p));
      phases.add(new UpdatePhase(Kind.ROLLBACK, p));
    }
    return phases;
  }

  /** The image every task runs once the step is done: the new one, or the first again. */
  String targetImage(String first, String second) {
    return kind == Kind.UPDATE ? second : first;
  }

  /** E.g. "update p=5". */
  String title() {
    return kind.word + " p=" + parallelism;
  }
}
