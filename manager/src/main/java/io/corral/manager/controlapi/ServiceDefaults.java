package io.corral.manager.controlapi;

import com.google.protobuf.Duration;
import io.corral.api.RestartPolicy;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.manager.task.UpdateConfigs;

/**
 * The defaults `service inspect` shows for what a spec leaves unset (swarmkit's defaults.Service):
 * restart on any exit after 5 s; updates and rollbacks one task at a time, stop-first, pausing on
 * failure, watched for 5 s; a 10 s stop grace period. Only for display: stored specs stay as the
 * user wrote them.
 */
final class ServiceDefaults {

  static final Duration RESTART_DELAY = seconds(5);
  static final Duration STOP_GRACE_PERIOD = seconds(10);

  private ServiceDefaults() {}

  /** The service with its spec and previous spec filled in. */
  static Service withDefaults(Service service) {
    Service.Builder b = service.toBuilder().setSpec(fill(service.getSpec()));
    if (service.hasPreviousSpec()) {
      b.setPreviousSpec(fill(service.getPreviousSpec()));
    }
    return b.build();
  }

  static ServiceSpec fill(ServiceSpec spec) {
    ServiceSpec.Builder b = spec.toBuilder();
    RestartPolicy.Builder restart = b.getTaskBuilder().getRestartBuilder();
    if (!restart.hasDelay()) {
      restart.setDelay(RESTART_DELAY);
    }
    if (b.getTask().hasContainer() && !b.getTask().getContainer().hasStopGracePeriod()) {
      b.getTaskBuilder().getContainerBuilder().setStopGracePeriod(STOP_GRACE_PERIOD);
    }
    b.setUpdate(UpdateConfigs.update(spec));
    b.setRollback(UpdateConfigs.rollback(spec));
    return b.build();
  }

  private static Duration seconds(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }
}
