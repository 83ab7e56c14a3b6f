package io.corral.manager.orchestrator.update;

import io.corral.api.Node;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.UpdateConfig;
import io.corral.api.UpdateStatus;
import io.corral.api.UpdateStatus.UpdateState;
import io.corral.common.ProtoTime;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.controller.Planner;
import io.corral.manager.placement.NodeEligibility;
import io.corral.manager.task.ServiceMode;
import io.corral.manager.task.SpecRollback;
import io.corral.manager.task.TaskFactory;
import io.corral.manager.task.TaskStates;
import io.corral.manager.task.UpdateConfigs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The update supervisor's decisions: moves the slots of a service whose spec changed onto the new
 * spec, {@code parallelism} at a time (0 = all), stop-first (the old task is told to stop and its
 * replacement waits in desired READY until it has, see DelayedStarts) or start-first (the
 * replacement starts beside it and the old task stops once it is up), each slot holding its share
 * of the parallelism until its replacement has been up for {@code delay}. Replacements that end
 * within {@code monitor} of coming up are failures; more than {@code max_failure_ratio} of the
 * slots trigger the failure action. A canary stage holds the update once {@code canary} slots are
 * up. Everything is read from the store and the update status, so a new leader resumes an update
 * where it stood, and a new spec supersedes the running update at once.
 */
public final class UpdateSupervisor implements Planner {

  private final NodeEligibility eligibility;

  public UpdateSupervisor(NodeEligibility eligibility) {
    this.eligibility = eligibility;
  }

  @Override
  public Plan plan(ClusterSnapshot snap, Instant now) {
    Plan.Builder out = new Plan.Builder();
    for (Service s : snap.services().values()) {
      // Jobs are not rolled: changing one starts a new iteration of it. A service without a
      // spec_version (not written by the Control API) has no versions to roll between.
      if (!ServiceMode.of(s).isJob() && s.getSpecVersion().getIndex() != 0) {
        planService(s, snap, now, out);
      }
    }
    return out.build();
  }

  private void planService(Service service, ClusterSnapshot snap, Instant now, Plan.Builder out) {
    UpdateStatus status = service.getUpdateStatus();
    UpdateState state = status.getState();
    if (state == UpdateState.PAUSED || state == UpdateState.ROLLBACK_PAUSED) {
      return; // Until the user updates, rolls back or forces it again.
    }
    boolean rollback = UpdateStatuses.isRollback(state);
    if (!UpdateStatuses.inProgress(state)) {
      if (!Rollout.of(service, snap, now).dirty().isEmpty()) {
        out.add(new Change.Update(UpdateStatuses.started(service, rollback, now)));
      }
      return;
    }
    UpdateConfig config =
        rollback
            ? UpdateConfigs.rollback(service.getSpec())
            : UpdateConfigs.update(service.getSpec());
    Instant startedAt =
        status.hasStartedAt() ? ProtoTime.instant(status.getStartedAt()) : Instant.EPOCH;
    Rollout rollout = Rollout.of(service, snap, startedAt);
    boolean canaryStage = !rollback && config.getCanary() > 0 && !status.getCanaryPromoted();
    Duration canaryAuto = ProtoTime.duration(config.getCanaryAuto());
    boolean autoCanary = canaryStage && !canaryAuto.isZero();
    Duration monitor = ProtoTime.duration(config.getMonitor());

    Optional<Service> stopped =
        onFailures(service, rollout, config, autoCanary, monitor, now, state);
    if (stopped.isPresent()) {
      out.add(new Change.Update(stopped.get()));
      return;
    }
    for (RolloutSlot slot : rollout.slots()) {
      if (slot.retiring()) {
        out.add(retire(service, slot, now));
      }
    }
    List<RolloutSlot> dirty = rollout.dirty();
    int slots = rollout.slots().size();
    int updated = rollout.updated();
    List<Instant> wake = new ArrayList<>();
    if (canaryStage && !dirty.isEmpty() && updated >= config.getCanary()) {
      holdCanaries(service, rollout, state, autoCanary, canaryAuto, updated, slots, now, out);
      return;
    }
    long capacity =
        (config.getParallelism() == 0 ? Long.MAX_VALUE : config.getParallelism())
            - rollout.inFlight(now, ProtoTime.duration(config.getDelay()), wake);
    if (canaryStage) {
      capacity = Math.min(capacity, config.getCanary() - updated);
    }
    wake.forEach(out::wakeAt);
    for (RolloutSlot slot : dirty) {
      if (capacity <= 0) {
        break;
      }
      out.add(replace(service, slot, config.getOrder(), snap, now));
      capacity--;
    }
    if (dirty.isEmpty() && rollout.settled()) {
      Instant quiet = rollout.lastUp().plus(monitor);
      if (now.isBefore(quiet)) {
        out.wakeAt(quiet);
      } else {
        out.add(new Change.Update(UpdateStatuses.completed(service, now)));
      }
    }
  }

  /** The service with its failure action applied, or empty when the update goes on. */
  private static Optional<Service> onFailures(
      Service service,
      Rollout rollout,
      UpdateConfig config,
      boolean autoCanary,
      Duration monitor,
      Instant now,
      UpdateState state) {
    List<Task> failed = rollout.failures(autoCanary ? Optional.empty() : Optional.of(monitor));
    int slots = Math.max(1, rollout.slots().size());
    if (failed.isEmpty() || failed.size() <= config.getMaxFailureRatio() * slots && !autoCanary) {
      return Optional.empty();
    }
    String taskId = failed.get(0).getId();
    boolean rollback = UpdateStatuses.isRollback(state);
    UpdateConfig.FailureAction action =
        autoCanary ? UpdateConfig.FailureAction.ROLLBACK : config.getFailureAction();
    return switch (action) {
      case CONTINUE -> Optional.empty();
      case ROLLBACK ->
          Optional.of(
              rollback
                  // A rollback is never rolled back: it pauses.
                  ? UpdateStatuses.paused(service, taskId, now)
                  : SpecRollback.of(service, now, UpdateStatuses.rolledBackMessage(taskId))
                      .orElseGet(() -> UpdateStatuses.paused(service, taskId, now)));
      case PAUSE, UNRECOGNIZED -> Optional.of(UpdateStatuses.paused(service, taskId, now));
    };
  }

  /**
   * The canary slots are updated: once they are all up the update waits in state CANARY, and with
   * canary_auto is promoted when they have stayed up that long.
   */
  private static void holdCanaries(
      Service service,
      Rollout rollout,
      UpdateState state,
      boolean autoCanary,
      Duration canaryAuto,
      int updated,
      int slots,
      Instant now,
      Plan.Builder out) {
    List<Instant> wake = new ArrayList<>();
    if (rollout.inFlight(now, Duration.ZERO, wake) > 0) {
      return; // Canaries still starting: their status changes wake this planner.
    }
    if (state != UpdateState.CANARY) {
      out.add(new Change.Update(UpdateStatuses.canary(service, updated, slots)));
      return;
    }
    if (autoCanary) {
      Instant due = rollout.lastUp().plus(canaryAuto);
      if (now.isBefore(due)) {
        out.wakeAt(due);
      } else {
        out.add(new Change.Update(UpdateStatuses.promoted(service)));
      }
    }
  }

  /**
   * The changes that put a slot on the current spec, decided from the service as read (a new spec
   * in between makes them stale).
   */
  private Change[] replace(
      Service service,
      RolloutSlot slot,
      UpdateConfig.UpdateOrder order,
      ClusterSnapshot snap,
      Instant now) {
    List<Change> group = new ArrayList<>();
    group.add(Change.Require.unchanged(service));
    Optional<Task> next = newTask(service, slot, snap, now);
    boolean startFirst = order == UpdateConfig.UpdateOrder.START_FIRST && next.isPresent();
    if (startFirst) {
      slot.outdated().forEach(old -> group.add(Change.Require.unchanged(old)));
    } else {
      stopOutdated(slot, now, group);
    }
    next.ifPresent(
        t ->
            group.add(
                new Change.Create(
                    startFirst ? t : t.toBuilder().setDesiredState(TaskState.READY).build())));
    return group.toArray(Change[]::new);
  }

  /** The slot's new task; none for a node that no longer takes the service (it just stops). */
  private Optional<Task> newTask(
      Service service, RolloutSlot slot, ClusterSnapshot snap, Instant now) {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    Task t;
    if (slot.key().slot() == 0) {
      Optional<Node> node = snap.node(slot.key().nodeId());
      if (node.isEmpty() || !eligibility.acceptsNew(node.get(), service.getSpec().getTask())) {
        return Optional.empty();
      }
      t = TaskFactory.newGlobalTask(service, slot.key().nodeId(), clock);
    } else {
      t = TaskFactory.newTask(service, slot.key().slot(), clock);
    }
    Task fresh = t;
    return Optional.of(
        snap.cluster().map(c -> TaskFactory.withClusterDefaults(fresh, c)).orElse(t));
  }

  /** Start-first: the replacement is up, so the older tasks of its slot stop. */
  private static Change[] retire(Service service, RolloutSlot slot, Instant now) {
    List<Change> group = new ArrayList<>();
    group.add(Change.Require.unchanged(service));
    stopOutdated(slot, now, group);
    return group.toArray(Change[]::new);
  }

  private static void stopOutdated(RolloutSlot slot, Instant now, List<Change> group) {
    for (Task old : slot.outdated()) {
      group.add(new Change.Update(TaskStates.stop(old, TaskState.SHUTDOWN, now, "updated")));
    }
  }
}
