package io.corral.manager.task;

import io.corral.api.Annotations;
import io.corral.api.Cluster;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.api.Version;
import io.corral.common.ProtoTime;
import io.corral.common.RandomIds;
import java.time.Clock;

/** Creates new tasks for a service's slots: fresh id, copied template and versions, state NEW. */
public final class TaskFactory {

  private TaskFactory() {}

  /** A task for slot {@code slot} (1..replicas) of a replicated service or job. */
  public static Task newTask(Service service, long slot, Clock clock) {
    return build(service, slot, "", Long.toString(slot), clock);
  }

  /**
   * A task for the node {@code nodeId} of a global service or job (its slot is 0, its node is
   * fixed).
   */
  public static Task newGlobalTask(Service service, String nodeId, Clock clock) {
    return build(service, 0, nodeId, nodeId, clock);
  }

  /** The task with the cluster's default log driver when its template names none. */
  public static Task withClusterDefaults(Task task, Cluster cluster) {
    if (task.hasLogDriver() || !cluster.getSpec().getTaskDefaults().hasLogDriver()) {
      return task;
    }
    return task.toBuilder()
        .setLogDriver(cluster.getSpec().getTaskDefaults().getLogDriver())
        .build();
  }

  private static Task build(
      Service service, long slot, String nodeId, String instance, Clock clock) {
    String id = RandomIds.newId();
    ServiceMode mode = ServiceMode.of(service);
    Task.Builder b =
        Task.newBuilder()
            .setId(id)
            .setServiceId(service.getId())
            .setSlot(slot)
            .setNodeId(nodeId)
            .setSpec(service.getSpec().getTask())
            .setAnnotations(
                Annotations.newBuilder()
                    .setName(
                        service.getSpec().getAnnotations().getName() + "." + instance + "." + id))
            .setServiceAnnotations(service.getSpec().getAnnotations())
            .setSpecVersion(specVersion(service))
            .setDesiredState(mode.runState())
            .setStatus(
                TaskStatus.newBuilder()
                    .setState(TaskState.NEW)
                    .setMessage("created")
                    .setTimestamp(ProtoTime.timestamp(clock.instant())));
    if (service.getSpec().getTask().hasLogDriver()) {
      b.setLogDriver(service.getSpec().getTask().getLogDriver());
    }
    if (service.hasEndpoint()) {
      b.setEndpoint(service.getEndpoint());
    }
    if (mode.isJob()) {
      b.setJobIteration(service.getJobStatus().getJobIteration());
    }
    return b.build();
  }

  /**
   * The version tasks record: the service's spec_version when the Control API keeps one, else the
   * service's meta.version (the Raft index of its last write).
   */
  public static Version specVersion(Service service) {
    return service.hasSpecVersion() && service.getSpecVersion().getIndex() != 0
        ? service.getSpecVersion()
        : Version.newBuilder().setIndex(service.getMeta().getVersion()).build();
  }
}
