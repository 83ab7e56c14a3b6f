package io.corral.cli.service.progress;

import io.corral.api.GetServiceRequest;
import io.corral.api.ListNodesRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.Node;
import io.corral.api.NodeStatus;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.cli.CliContext;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.format.Ellipsis;
import io.corral.cli.format.GoDuration;
import io.corral.cli.task.TaskWords;
import io.corral.common.ProtoTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Docker's {@code ServiceProgress}: polls a service's up-to-date tasks until it converges, showing
 * progress. A service or update converges when all its tasks run and stay running for the update
 * monitor period (5 s unless the spec says otherwise); a job converges when all its completions are
 * done. Unlike docker, which waits forever, it gives up when the count of running (or completed)
 * tasks has not grown for {@code patience}, and says which tasks are stuck and why.
 */
public final class ConvergeWatcher {

  /** Docker's default monitor period. */
  public static final Duration DEFAULT_MONITOR = Duration.ofSeconds(5);

  /** Docker's poll interval. */
  public static final Duration POLL = Duration.ofMillis(200);

  private final CliContext ctx;
  private final Duration patience;

  public ConvergeWatcher(CliContext ctx, Duration patience) {
    this.ctx = ctx;
    this.patience = patience;
  }

  /**
   * Waits for service {@code serviceId} to converge, writing progress to {@code out}; an update
   * held in its canary stage ends the wait too, with its message and what to run next.
   *
   * @throws CliFailure when it does not converge in time (naming the stuck tasks' errors)
   */
  public void await(String serviceId, Consumer<ProgressLine> shown) throws InterruptedException {
    ProgressUpdater updater = null;
    boolean[] rollback = {false};
    // Docker words the overall line of a rollback "rolling back update: N out of M tasks".
    Consumer<ProgressLine> out =
        line ->
            shown.accept(
                rollback[0] && line.id().equals("overall progress") && !line.hasBar()
                    ? ProgressLine.text(line.id(), "rolling back update: " + line.action())
                    : line);
    Instant convergedAt = null;
    long best = -1;
    Instant lastGain = ctx.clock().instant();
    while (true) {
      // With defaults: the monitor period that applies is the manager's to say.
      Service service =
          DaemonCall.control(ctx)
              .getService(
                  GetServiceRequest.newBuilder()
                      .setServiceId(serviceId)
                      .setInsertDefaults(true)
                      .build())
              .getService();
      Duration monitor =
          service.getSpec().getUpdate().hasMonitor()
              ? ProtoTime.duration(service.getSpec().getUpdate().getMonitor())
              : DEFAULT_MONITOR;
      if (monitor.isZero()) {
        monitor = DEFAULT_MONITOR;
      }
      if (updater == null) {
        updater = ProgressUpdater.of(service);
      }
      UpdateProgress.Verdict verdict = UpdateProgress.verdict(service.getUpdateStatus());
      if (verdict.failure().isPresent()) {
        throw new CliFailure(verdict.failure().get());
      }
      if (verdict.rollback() && !rollback[0]) {
        rollback[0] = true;
        if (!service.getUpdateStatus().getMessage().isEmpty()) {
          shown.accept(ProgressLine.text("rollback", service.getUpdateStatus().getMessage()));
        }
      }
      if (verdict.held().isPresent()) {
        // The canaries are in place: show them once more, then say what the user can do.
        List<Task> tasks = upToDate(serviceId);
        updater.update(service, tasks, activeNodes(), out);
        shown.accept(ProgressLine.text("canary", verdict.held().get()));
        shown.accept(
            ProgressLine.text(
                "",
                UpdateProgress.canaryHint(
                    service.getSpec().getAnnotations().getName().isEmpty()
                        ? service.getId()
                        : service.getSpec().getAnnotations().getName())));
        return;
      }
      Instant now = ctx.clock().instant();
      if (convergedAt != null && !now.isBefore(convergedAt.plus(monitor))) {
        out.accept(ProgressLine.text("verify", "Service converged"));
        return;
      }
      List<Task> tasks = upToDate(serviceId);
      Set<String> active = activeNodes();
      boolean converged = updater.update(service, tasks, active, out);
      if (converged && !UpdateProgress.oldTasksEnded(allTasks(serviceId), tasks, active)) {
        // An update is done only once the tasks it replaced have stopped.
        converged = false;
      }
      boolean job = service.getSpec().hasReplicatedJob() || service.getSpec().hasGlobalJob();
      if (converged && job) {
        // Jobs stay done once done: nothing to verify.
        out.accept(ProgressLine.text("", "job complete"));
        return;
      }
      if (converged) {
        if (convergedAt == null) {
          convergedAt = now;
        }
        Duration wait = monitor.minus(Duration.between(convergedAt, now));
        if (!wait.isNegative()) {
          out.accept(
              ProgressLine.text(
                  "verify",
                  "Waiting " + waitSeconds(wait) + " seconds to verify that tasks are stable..."));
        }
      } else {
        if (convergedAt != null) {
          out.accept(ProgressLine.text("verify", "Detected task failure"));
        }
        convergedAt = null;
      }
      long done =
          tasks.stream()
              .filter(
                  t -> t.getStatus().getState() == (job ? TaskState.COMPLETE : TaskState.RUNNING))
              .count();
      if (done > best || converged) {
        best = Math.max(best, done);
        lastGain = now;
      } else if (!now.isBefore(lastGain.plus(patience))) {
        throw new CliFailure(stuck(service, tasks, patience));
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private List<Task> upToDate(String serviceId) {
    return DaemonCall.control(ctx)
        .listTasks(
            ListTasksRequest.newBuilder()
                .setFilters(
                    ListTasksRequest.Filters.newBuilder()
                        .addServiceIds(serviceId)
                        .setUpToDate(true))
                .build())
        .getTasksList();
  }

  private List<Task> allTasks(String serviceId) {
    return DaemonCall.control(ctx)
        .listTasks(
            ListTasksRequest.newBuilder()
                .setFilters(ListTasksRequest.Filters.newBuilder().addServiceIds(serviceId))
                .build())
        .getTasksList();
  }

  private Set<String> activeNodes() {
    return DaemonCall.control(ctx)
        .listNodes(ListNodesRequest.getDefaultInstance())
        .getNodesList()
        .stream()
        .filter(n -> n.getStatus().getState() != NodeStatus.State.DOWN)
        .map(Node::getId)
        .collect(Collectors.toSet());
  }

  /**
   * Why the service is not converging: its unfinished tasks grouped by state and error (or pending
   * reason), e.g. {@code web.3, web.4: pending: no suitable node (insufficient memory on 3 nodes)}.
   */
  static String stuck(Service service, List<Task> tasks, Duration patience) {
    String name =
        service.getSpec().getAnnotations().getName().isEmpty()
            ? service.getId()
            : service.getSpec().getAnnotations().getName();
    Map<String, List<String>> byReason = new LinkedHashMap<>();
    tasks.stream()
        .sorted(Comparator.comparingLong(Task::getSlot).thenComparing(Task::getNodeId))
        .forEach(
            t -> {
              TaskState state = t.getStatus().getState();
              if (state == TaskState.RUNNING || state == TaskState.COMPLETE) {
                return;
              }
              String why =
                  !t.getStatus().getErr().isEmpty()
                      ? t.getStatus().getErr()
                      : t.getStatus().getMessage();
              String reason = TaskWords.state(state) + (why.isEmpty() ? "" : ": " + why);
              byReason
                  .computeIfAbsent(reason, k -> new ArrayList<>())
                  .add(
                      name
                          + "."
                          + (t.getSlot() != 0
                              ? Long.toString(t.getSlot())
                              : Ellipsis.id(t.getNodeId())));
            });
    StringBuilder b =
        new StringBuilder(
            "service "
                + name
                + " did not converge: no progress for "
                + GoDuration.format(patience));
    if (byReason.isEmpty()) {
      b.append(" (no tasks to run: check its placement constraints and the nodes' availability)");
    }
    byReason.forEach(
        (reason, names) ->
            b.append("\n").append(String.join(", ", names)).append(": ").append(reason));
    return b.append("\nThe service keeps converging in the background; see `corral service ps ")
        .append(name)
        .append("`.")
        .toString();
  }

  /**
   * The seconds left to wait as docker shows them ({@code wait/time.Second+1}, measured a moment
   * after convergence, so a 5 s monitor reads "Waiting 5 seconds"): the remaining time rounded up,
   * at least 1.
   */
  static long waitSeconds(Duration wait) {
    return Math.max(1, (wait.toNanos() + 999_999_999L) / 1_000_000_000L);
  }
}
