package io.corral.manager.task;

import com.google.protobuf.Duration;
import io.corral.api.ServiceSpec;
import io.corral.api.UpdateConfig;

/**
 * The update and rollback configs a service's rollouts follow, with swarmkit's defaults for what
 * the spec leaves unset: one task at a time, stop-first, pausing on failure, each updated task
 * watched for 5 s.
 */
public final class UpdateConfigs {

  public static final Duration MONITOR = Duration.newBuilder().setSeconds(5).build();

  private static final UpdateConfig DEFAULT =
      UpdateConfig.newBuilder()
          .setParallelism(1)
          .setMonitor(MONITOR)
          .setFailureAction(UpdateConfig.FailureAction.PAUSE)
          .setOrder(UpdateConfig.UpdateOrder.STOP_FIRST)
          .build();

  private UpdateConfigs() {}

  /** What an update to this spec follows. */
  public static UpdateConfig update(ServiceSpec spec) {
    return fill(spec.hasUpdate() ? spec.getUpdate() : null);
  }

  /** What a rollback to this spec follows. */
  public static UpdateConfig rollback(ServiceSpec spec) {
    return fill(spec.hasRollback() ? spec.getRollback() : null);
  }

  /**
   * An absent config is all defaults; a given one keeps its values (parallelism 0 means all at
   * once).
   */
  private static UpdateConfig fill(UpdateConfig given) {
    if (given == null) {
      return DEFAULT;
    }
    return given.hasMonitor() ? given : given.toBuilder().setMonitor(MONITOR).build();
  }
}
