package io.corral.worker.agent;

import io.corral.api.Task;
import io.corral.common.ProtoTime;
import java.time.Duration;

/** How long a task is given to stop after its stop signal: its spec's, or docker's 10 s. */
final class StopGrace {
  static final Duration DEFAULT = Duration.ofSeconds(10);

  private StopGrace() {}

  static Duration of(Task task) {
    var g = task.getSpec().getContainer().getStopGracePeriod();
    return g.getSeconds() == 0 && g.getNanos() == 0 ? DEFAULT : ProtoTime.duration(g);
  }
}
