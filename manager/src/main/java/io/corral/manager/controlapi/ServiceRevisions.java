package io.corral.manager.controlapi;

import io.corral.api.JobStatus;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Version;
import io.corral.common.ProtoTime;
import io.corral.manager.task.ServiceMode;
import io.corral.manager.task.SpecRollback;
import io.corral.manager.task.TaskFactory;
import io.grpc.Status;
import java.time.Instant;

/**
 * How a service object changes when it is created, updated or rolled back: its spec and previous
 * spec, its spec versions, its job iteration and update status. Pure.
 *
 * <p>spec_version is a counter that moves only when what the tasks run changes (the task template
 * or the networks), so that a scale or a label change leaves running tasks up to date. A new
 * version is always one more than both the current and the previous one: after a rollback swapped
 * them, the next update still gets a number no task has ever carried.
 */
final class ServiceRevisions {

  private ServiceRevisions() {}

  /** A new service: first spec version, and for jobs a first iteration that starts now. */
  static Service created(String id, ServiceSpec spec, Instant now) {
    Service.Builder b = Service.newBuilder().setId(id).setSpec(spec).setSpecVersion(version(1));
    if (ServiceMode.of(b.build()).isJob()) {
      b.setJobStatus(
          JobStatus.newBuilder()
              .setJobIteration(version(0))
              .setLastExecution(ProtoTime.timestamp(now)));
    }
    return b.build();
  }

  /**
   * The service with a new spec; the current one becomes the previous spec (what `service rollback`
   * returns to). Refuses a mode change or a rename, as docker does.
   */
  static Service updated(Service current, ServiceSpec spec, Instant now) {
    ServiceSpec old = current.getSpec();
    if (old.getModeCase() != spec.getModeCase()) {
      throw ServiceSpecValidator.invalid(
          "spec.mode",
          "service mode change is not allowed; remove the service "
              + "and create it again to change its mode");
    }
    if (!old.getAnnotations().getName().equals(spec.getAnnotations().getName())) {
      throw ServiceSpecValidator.invalid(
          "spec.name",
          "renaming services is not supported (service "
              + old.getAnnotations().getName()
              + ", new name "
              + spec.getAnnotations().getName()
              + ")");
    }
    Version currentVersion = TaskFactory.specVersion(current);
    Version next =
        changesTasks(old, spec)
            ? version(
                Math.max(currentVersion.getIndex(), current.getPreviousSpecVersion().getIndex())
                    + 1)
            : currentVersion;
    Service.Builder b =
        current.toBuilder()
            .setSpec(spec)
            .setSpecVersion(next)
            .setPreviousSpec(old)
            .setPreviousSpecVersion(currentVersion)
            // A new update starts from scratch; the update supervisor records its progress.
            .clearUpdateStatus();
    return nextJobIteration(b, now).build();
  }

  /** The service back on its previous spec (which becomes the one to roll back to in turn). */
  static Service rolledBack(Service current, Instant now) {
    Service rolled =
        SpecRollback.of(current, now, "manually requested rollback")
            .orElseThrow(
                () ->
                    Status.FAILED_PRECONDITION
                        .withDescription(
                            "service "
                                + current.getSpec().getAnnotations().getName()
                                + " does not have a previous spec; there is nothing to roll back"
                                + " to")
                        .asRuntimeException());
    return nextJobIteration(rolled.toBuilder(), now).build();
  }

  /** Whether tasks made from {@code before} are out of date under {@code after}. */
  static boolean changesTasks(ServiceSpec before, ServiceSpec after) {
    return !before.getTask().equals(after.getTask())
        || !before.getNetworksList().equals(after.getNetworksList());
  }

  /** Changing a job runs it again (swarmkit's rule): its tasks of the old iteration are stopped. */
  private static Service.Builder nextJobIteration(Service.Builder b, Instant now) {
    if (ServiceMode.of(b.build()).isJob()) {
      long iteration = b.getJobStatus().getJobIteration().getIndex();
      b.setJobStatus(
          JobStatus.newBuilder()
              .setJobIteration(version(iteration + 1))
              .setLastExecution(ProtoTime.timestamp(now)));
    }
    return b;
  }

  private static Version version(long index) {
    return Version.newBuilder().setIndex(index).build();
  }
}
