package io.corral.worker.exec.process;

import java.util.List;

/**
 * Whom a task process runs as: numeric uid, gid, supplementary groups, and the user's home
 * directory.
 */
public record Credentials(int uid, int gid, List<Integer> groups, String home) {

  public Credentials {
    groups = List.copyOf(groups);
  }
}
