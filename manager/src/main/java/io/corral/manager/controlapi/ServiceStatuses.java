package io.corral.manager.controlapi;

import io.corral.api.ListServiceStatusesResponse.ServiceStatus;
import io.corral.api.Node;
import io.corral.api.NodeStatus;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.manager.task.JobLimits;
import io.corral.manager.task.ServiceMode;
import java.util.List;
import java.util.Map;

/**
 * The task counts behind the REPLICAS column of `service ls`. Pure.
 *
 * <ul>
 *   <li>desired: replicated, the replicas; global, the tasks that should be running (one per
 *       eligible node); replicated job, the job's concurrency capped by the completions still
 *       missing; global job, the tasks of the current iteration that should run to completion;
 *   <li>running: tasks RUNNING that should be running, on a node that is not down (a down node's
 *       tasks are being replaced, whatever they last reported);
 *   <li>completed (jobs only): tasks of the current iteration that completed.
 * </ul>
 */
final class ServiceStatuses {

  private ServiceStatuses() {}

  static ServiceStatus of(Service service, List<Task> tasks, Map<String, Node> nodes) {
    ServiceMode mode = ServiceMode.of(service);
    long iteration = service.getJobStatus().getJobIteration().getIndex();
    long running = 0;
    long shouldRun = 0;
    long completed = 0;
    for (Task t : tasks) {
      boolean current = !mode.isJob() || t.getJobIteration().getIndex() == iteration;
      if (!current) {
        continue;
      }
      boolean wanted = t.getDesiredState() == mode.runState();
      if (wanted) {
        shouldRun++;
      }
      if (wanted && t.getStatus().getState() == TaskState.RUNNING && !onDownNode(t, nodes)) {
        running++;
      }
      if (mode.isJob() && t.getStatus().getState() == TaskState.COMPLETE) {
        completed++;
      }
    }
    long desired =
        switch (mode) {
          case REPLICATED -> ServiceMode.replicas(service);
          case GLOBAL, GLOBAL_JOB -> shouldRun;
          case REPLICATED_JOB -> {
            JobLimits limits = JobLimits.of(service.getSpec().getReplicatedJob());
            yield Math.max(0, Math.min(limits.concurrent(), limits.total() - completed));
          }
        };
    return ServiceStatus.newBuilder()
        .setServiceId(service.getId())
        .setDesiredTasks(desired)
        .setRunningTasks(running)
        .setCompletedTasks(completed)
        .build();
  }

  private static boolean onDownNode(Task t, Map<String, Node> nodes) {
    Node n = nodes.get(t.getNodeId());
    return n == null || n.getStatus().getState() == NodeStatus.State.DOWN;
  }
}
