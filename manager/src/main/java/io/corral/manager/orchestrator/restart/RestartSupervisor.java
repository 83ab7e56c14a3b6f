package io.corral.manager.orchestrator.restart;

import io.corral.api.Node;
import io.corral.api.NodeStatus;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.Version;
import io.corral.common.ProtoTime;
import io.corral.common.TerminalStates;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.controller.Planner;
import io.corral.manager.placement.NodeEligibility;
import io.corral.manager.task.JobIterations;
import io.corral.manager.task.RestartHistory;
import io.corral.manager.task.RestartRules;
import io.corral.manager.task.ServiceMode;
import io.corral.manager.task.SlotKey;
import io.corral.manager.task.TaskFactory;
import io.corral.manager.task.TaskStates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * The restart supervisor's decisions. A task that still should run but ended (or, for replicated
 * services and jobs, whose node is down or gone) is shut down (desired SHUTDOWN), and in the same
 * write either replaced by a new task in the same slot (same node for global services) or marked
 * with a {@code no_restart_reason} when the restart policy says no, which keeps the slot empty. A
 * delayed replacement starts in desired state READY with a {@code start_after} time that {@link
 * DelayedStarts} honours. Completed job tasks are not ended, they are done.
 */
public final class RestartSupervisor implements Planner {

  private final NodeEligibility eligibility;

  public RestartSupervisor(NodeEligibility eligibility) {
    this.eligibility = eligibility;
  }

  @Override
  public Plan plan(ClusterSnapshot snap, Instant now) {
    Plan.Builder out = new Plan.Builder();
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    Map<SlotKey, Integer> activePerSlot = new HashMap<>();
    for (Task t : snap.tasks()) {
      if (TaskStates.wantsToRun(t)) {
        activePerSlot.merge(SlotKey.of(t), 1, Integer::sum);
      }
    }
    for (Task t : snap.tasks()) {
      if (!TaskStates.wantsToRun(t)) {
        continue;
      }
      Service service = snap.services().get(t.getServiceId());
      if (service == null) {
        continue;
      }
      ServiceMode mode = ServiceMode.of(service);
      if (mode.perNode() != (t.getSlot() == 0)
          || (mode.isJob() && !JobIterations.isCurrent(service, t))) {
        continue;
      }
      // A task on a down node counts as ended at once. Swarmkit keeps it until the node has been
      // down for a
      // day and then marks it ORPHANED; here it simply gets desired SHUTDOWN with its replacement,
      // which tells
      // the agent to stop it should the node come back, and the reaper counts it as finished
      // history.
      // Global tasks on down nodes are the global orchestrator's (there is no other node to restart
      // on).
      boolean lost = snap.nodeLost(t) && !mode.perNode();
      if (!ended(t, mode, lost)) {
        continue;
      }
      String why = lost ? "node down" : "task " + t.getStatus().getState().name().toLowerCase();
      Task old = TaskStates.stop(t, TaskState.SHUTDOWN, now, why);
      if (activePerSlot.getOrDefault(SlotKey.of(t), 0) > 1) {
        // Another task already holds the slot: replacing this one too would make two.
        out.add(new Change.Update(old));
        continue;
      }
      if (mode.perNode() && !nodeKeeps(snap, t, service)) {
        // The node cannot take it back now; the slot is vacant and refilled when the node can.
        out.add(new Change.Update(old));
        continue;
      }
      Version version = TaskFactory.specVersion(service);
      var refusal = RestartRules.refusal(t, RestartRules.failed(t, lost), version, now);
      if (refusal.isPresent()) {
        out.add(new Change.Update(old.toBuilder().setNoRestartReason(refusal.get()).build()));
        continue;
      }
      Task next = replacement(service, mode, t, version, now, clock, snap);
      out.add(new Change.Update(old), new Change.Create(next));
    }
    return out.build();
  }

  static boolean ended(Task t, ServiceMode mode, boolean nodeLost) {
    TaskState s = t.getStatus().getState();
    if (mode.isJob() && s == TaskState.COMPLETE) {
      return false;
    }
    return TerminalStates.isTerminal(s) || nodeLost;
  }

  private boolean nodeKeeps(ClusterSnapshot snap, Task t, Service service) {
    Node n = snap.nodes().get(t.getNodeId());
    return n != null
        && n.getStatus().getState() != NodeStatus.State.DOWN
        && !eligibility.mustEvict(n, service.getSpec().getTask());
  }

  private static Task replacement(
      Service service,
      ServiceMode mode,
      Task old,
      Version version,
      Instant now,
      Clock clock,
      ClusterSnapshot snap) {
    Task fresh =
        mode.perNode()
            ? TaskFactory.newGlobalTask(service, old.getNodeId(), clock)
            : TaskFactory.newTask(service, old.getSlot(), clock);
    Task t = snap.cluster().map(c -> TaskFactory.withClusterDefaults(fresh, c)).orElse(fresh);
    long max = t.getSpec().getRestart().getMaxAttempts();
    RestartHistory history = RestartRules.history(old, version);
    if (max > 0) {
      history = history.plus(now, (int) Math.min(max, Integer.MAX_VALUE));
    }
    t = history.applyTo(t);
    Duration delay = RestartRules.delay(old);
    if (!delay.isZero()) {
      Instant start = now.plus(delay);
      t =
          t.toBuilder()
              .setStartAfter(ProtoTime.timestamp(start))
              .setDesiredState(TaskState.READY)
              .build();
    }
    return t;
  }
}
