package io.corral.testcluster.bench;

/** The measured steps of one convergence round, in the order they run. */
enum Phase {
  CREATE("create -> running"),
  SCALE_UP("scale N -> 2N"),
  SCALE_DOWN("scale 2N -> N");

  private final String title;

  Phase(String title) {
    this.title = title;
  }

  String title() {
    return title;
  }
}
