package io.corral.cli.task;

import io.corral.api.PortConfig;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.cli.format.Ellipsis;
import io.corral.cli.format.HumanDuration;
import io.corral.cli.format.Pretty;
import io.corral.common.ProtoTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One task as a line of {@code service ps} / {@code node ps}: the fields of docker's task context,
 * usable from {@code --format} templates and as {@code --format json}.
 */
record TaskRow(
    String id,
    String name,
    String image,
    String node,
    String desiredState,
    String currentState,
    String error,
    String ports) {

  /** Docker's limit on the ERROR column unless {@code --no-trunc}. */
  static final int MAX_ERROR_LENGTH = 30;

  /** Column headers of a {@code table} template, by field. */
  static final Map<String, String> HEADERS =
      Map.of(
          "ID", "ID",
          "Name", "NAME",
          "Image", "IMAGE",
          "Node", "NODE",
          "DesiredState", "DESIRED STATE",
          "CurrentState", "CURRENT STATE",
          "Error", "ERROR",
          "Ports", "PORTS");

  /**
   * The row of {@code t}, named {@code name} (already indented for history rows) on node {@code
   * node}, its state age measured at {@code now}.
   */
  static TaskRow of(Task t, String name, String node, boolean trunc, Instant now) {
    Instant since = ProtoTime.instant(t.getStatus().getTimestamp());
    String current =
        Pretty.capitalize(TaskWords.state(t.getStatus().getState()))
            + " "
            + HumanDuration.ago(Duration.between(since, now))
            + health(t.getStatus().getState(), t.getStatus().getHealth());
    String err = t.getStatus().getErr();
    if (trunc) {
      err = Ellipsis.of(err, MAX_ERROR_LENGTH);
    }
    return new TaskRow(
        trunc ? Ellipsis.id(t.getId()) : t.getId(),
        name,
        image(t, trunc),
        node,
        Pretty.capitalize(TaskWords.state(t.getDesiredState())),
        current,
        err.isEmpty() ? "" : "\"" + err + "\"",
        ports(t));
  }

  /**
   * The health of a task that has a check, worded as docker's container status words it ({@code
   * (healthy)}, {@code (unhealthy)}, {@code (health: starting)}): while it starts or runs, and an
   * unhealthy end whatever the state (it says why the task ended). Empty without a check.
   */
  static String health(TaskState state, TaskStatus.Health health) {
    if (health == TaskStatus.Health.UNHEALTHY) {
      return " (unhealthy)";
    }
    if (state != TaskState.STARTING && state != TaskState.RUNNING) {
      return "";
    }
    return switch (health) {
      case STARTING -> " (health: starting)";
      case HEALTHY -> " (healthy)";
      default -> "";
    };
  }

  /** Docker drops an image's digest when truncating ({@code app:1@sha256:…} → {@code app:1}). */
  private static String image(Task t, boolean trunc) {
    String image = t.getSpec().getContainer().getImage();
    int at = image.indexOf('@');
    if (trunc && at > 0 && image.lastIndexOf(':', at) > image.lastIndexOf('/', at)) {
      return image.substring(0, at);
    }
    return image;
  }

  /** Host-mode ports a task published: {@code *:8080->80/tcp}. */
  private static String ports(Task t) {
    return t.getStatus().getPortStatus().getPortsList().stream()
        .map(p -> "*:" + p.getPublishedPort() + "->" + p.getTargetPort() + "/" + protocol(p))
        .collect(Collectors.joining(","));
  }

  static String protocol(PortConfig p) {
    return p.getProtocol().name().toLowerCase(Locale.ROOT);
  }

  Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ID", id);
    m.put("Name", name);
    m.put("Image", image);
    m.put("Node", node);
    m.put("DesiredState", desiredState);
    m.put("CurrentState", currentState);
    m.put("Error", error);
    m.put("Ports", ports);
    return m;
  }
}
