package io.corral.testcluster.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code docker service ps --no-trunc --format
 * '{{.DesiredState}}|{{.CurrentState}}|{{.Image}}'}: a task is on the new spec when it runs the
 * image the update (or rollback) moves the service to, the only thing the benchmark changes.
 */
final class UpdateSwarmLines {

  static final String FORMAT = "{{.DesiredState}}|{{.CurrentState}}|{{.Image}}";

  private UpdateSwarmLines() {}

  static List<UpdateTaskView> parse(String output, String newImage) {
    List<UpdateTaskView> tasks = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split("\\|", -1);
      if (fields.length != 3) {
        throw new IllegalArgumentException(
            "unexpected docker service ps line (not desired|current|image): " + line);
      }
      tasks.add(
          new UpdateTaskView(
              SwarmTaskLines.state(fields[0]),
              SwarmTaskLines.state(fields[1]),
              sameImage(fields[2].strip(), newImage)));
    }
    return tasks;
  }

  /** Swarm may show the image with its digest ({@code name:tag@sha256:...}) once resolved. */
  static boolean sameImage(String shown, String image) {
    return shown.equals(image) || shown.startsWith(image + "@");
  }
}
