package io.corral.manager.scheduler;

import io.corral.manager.controller.ControllerLoop;
import io.corral.manager.controller.PlanningPass;
import io.corral.manager.placement.ConstraintCheck;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * Runs the {@link Scheduler} on the leader: a pass on taking office, then after every task or node
 * change.
 */
public final class SchedulerLoop {

  private SchedulerLoop() {}

  public static ControllerLoop start(
      Store store,
      BooleanSupplier leading,
      Clock clock,
      ConstraintCheck constraints,
      ControllerLoop.Timing timing) {
    return new ControllerLoop(
            "scheduler",
            store,
            leading,
            clock,
            e -> e.is(ObjectKind.TASK) || e.is(ObjectKind.NODE),
            new PlanningPass("scheduler", store, clock, new Scheduler(constraints)),
            timing)
        .start();
  }
}
