package io.corral.manager.task;

import io.corral.api.Service;
import io.corral.api.UpdateStatus;
import io.corral.common.ProtoTime;
import java.time.Instant;
import java.util.Optional;

/**
 * A service put back on its previous spec, as `service rollback` and an update's failure action do:
 * the spec and its version swap with the previous ones (so rolling back again goes forward), and
 * the update status says a rollback started and why.
 */
public final class SpecRollback {

  private SpecRollback() {}

  /** The rolled-back service, or empty when it has no previous spec. */
  public static Optional<Service> of(Service current, Instant now, String why) {
    if (!current.hasPreviousSpec()) {
      return Optional.empty();
    }
    return Optional.of(
        current.toBuilder()
            .setSpec(current.getPreviousSpec())
            .setSpecVersion(current.getPreviousSpecVersion())
            .setPreviousSpec(current.getSpec())
            .setPreviousSpecVersion(TaskFactory.specVersion(current))
            .setUpdateStatus(
                UpdateStatus.newBuilder()
                    .setState(UpdateStatus.UpdateState.ROLLBACK_STARTED)
                    .setStartedAt(ProtoTime.timestamp(now))
                    .setMessage(why))
            .build());
  }
}
