package io.corral.manager.task;

import io.corral.api.Service;
import io.corral.api.TaskState;

/**
 * The four ways a service places tasks, read from its spec, with what each implies for its tasks.
 */
public enum ServiceMode {
  REPLICATED,
  GLOBAL,
  REPLICATED_JOB,
  GLOBAL_JOB;

  public static ServiceMode of(Service service) {
    return switch (service.getSpec().getModeCase()) {
      case GLOBAL -> GLOBAL;
      case REPLICATED_JOB -> REPLICATED_JOB;
      case GLOBAL_JOB -> GLOBAL_JOB;
      // Unset is replicated with one replica (the Control API normally fills it in).
      case REPLICATED, MODE_NOT_SET -> REPLICATED;
    };
  }

  public boolean isJob() {
    return this == REPLICATED_JOB || this == GLOBAL_JOB;
  }

  /**
   * Global modes have one slot per node (identified by node id); the others number their slots from
   * 1.
   */
  public boolean perNode() {
    return this == GLOBAL || this == GLOBAL_JOB;
  }

  /** The desired state of a task that should run: jobs run to completion, services keep running. */
  public TaskState runState() {
    return isJob() ? TaskState.COMPLETE : TaskState.RUNNING;
  }

  /** Replicas of a replicated service; unset mode means one. */
  public static long replicas(Service service) {
    return service.getSpec().hasReplicated() ? service.getSpec().getReplicated().getReplicas() : 1;
  }
}
