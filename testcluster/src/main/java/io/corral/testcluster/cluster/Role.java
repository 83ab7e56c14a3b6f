package io.corral.testcluster.cluster;

import java.util.Locale;

/** Whether a test cluster node joins as a manager or as a worker. */
public enum Role {
  MANAGER,
  WORKER;

  /** The lower-case word used in join tokens, state files and output. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role ofWord(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }
}
