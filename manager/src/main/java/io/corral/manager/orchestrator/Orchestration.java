package io.corral.manager.orchestrator;

import io.corral.manager.allocator.NetworkAllocator;
import io.corral.manager.allocator.NetworkAttacher;
import io.corral.manager.allocator.OverlayAttacher;
import io.corral.manager.allocator.TaskAllocator;
import io.corral.manager.controller.ControllerLoop;
import io.corral.manager.controller.Planner;
import io.corral.manager.controller.PlanningPass;
import io.corral.manager.orchestrator.enforcer.ConstraintEnforcer;
import io.corral.manager.orchestrator.global.GlobalPlanner;
import io.corral.manager.orchestrator.job.ReplicatedJobPlanner;
import io.corral.manager.orchestrator.reaper.TaskReaper;
import io.corral.manager.orchestrator.replicated.ReplicatedPlanner;
import io.corral.manager.orchestrator.restart.DelayedStarts;
import io.corral.manager.orchestrator.restart.RestartSupervisor;
import io.corral.manager.orchestrator.update.UpdateSupervisor;
import io.corral.manager.placement.ConstraintCheck;
import io.corral.manager.placement.NodeEligibility;
import io.corral.manager.placement.PlacementConstraints;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * All leader-side orchestration controllers, started and stopped together: network and task
 * allocators, replicated, global and replicated-job orchestrators, restart supervisor with its
 * delayed starts, update supervisor, constraint enforcer and task reaper. Each runs on its own
 * thread and only while {@code leading} says this manager leads.
 */
public final class Orchestration implements AutoCloseable {

  /** Tunables and plug-ins. */
  public record Settings(
      ControllerLoop.Timing timing, ConstraintCheck constraints, NetworkAttacher networks) {
    public static final Settings DEFAULT =
        new Settings(
            ControllerLoop.Timing.DEFAULT, new PlacementConstraints(), new OverlayAttacher());
  }

  private static final Predicate<StoreEvent> CLUSTER_STATE =
      e ->
          e.is(ObjectKind.TASK)
              || e.is(ObjectKind.SERVICE)
              || e.is(ObjectKind.NODE)
              || e.is(ObjectKind.CLUSTER);

  private final List<ControllerLoop> loops;

  private Orchestration(List<ControllerLoop> loops) {
    this.loops = loops;
  }

  /** Starts every controller with the default settings. */
  public static Orchestration start(Store store, BooleanSupplier leading, Clock clock) {
    return start(store, leading, clock, Settings.DEFAULT);
  }

  public static Orchestration start(
      Store store, BooleanSupplier leading, Clock clock, Settings settings) {
    NodeEligibility nodes = new NodeEligibility(settings.constraints());
    TaskAllocator allocator = new TaskAllocator(store, clock, settings.networks());
    List<ControllerLoop> loops = new ArrayList<>();
    NetworkAllocator networkAllocator = new NetworkAllocator(store);
    loops.add(
        new ControllerLoop(
            "network-allocator",
            store,
            leading,
            clock,
            NetworkAllocator::relevant,
            () -> {
              networkAllocator.allocatePending();
              return Optional.empty();
            },
            settings.timing()));
    loops.add(
        new ControllerLoop(
            "task-allocator",
            store,
            leading,
            clock,
            TaskAllocator::relevant,
            () -> {
              allocator.allocatePending();
              return Optional.empty();
            },
            settings.timing()));
    List<Planner> planners =
        List.of(
            new ReplicatedPlanner(),
            new GlobalPlanner(nodes),
            new ReplicatedJobPlanner(),
            new RestartSupervisor(nodes),
            new DelayedStarts(),
            new UpdateSupervisor(nodes),
            new ConstraintEnforcer(nodes),
            new TaskReaper());
    List<String> names =
        List.of(
            "replicated-orchestrator",
            "global-orchestrator",
            "job-orchestrator",
            "restart-supervisor",
            "delayed-starts",
            "update-supervisor",
            "constraint-enforcer",
            "task-reaper");
    for (int i = 0; i < planners.size(); i++) {
      loops.add(
          new ControllerLoop(
              names.get(i),
              store,
              leading,
              clock,
              CLUSTER_STATE,
              new PlanningPass(names.get(i), store, clock, planners.get(i)),
              settings.timing()));
    }
    loops.forEach(ControllerLoop::start);
    return new Orchestration(List.copyOf(loops));
  }

  @Override
  public void close() {
    loops.forEach(ControllerLoop::close);
  }
}
