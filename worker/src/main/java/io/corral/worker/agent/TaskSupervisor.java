package io.corral.worker.agent;

import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.ProtoTime;
import io.corral.common.TerminalStates;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles the tasks the managers assigned to this node with what the runtime runs: starts tasks
 * whose desired state is RUNNING (or COMPLETE, for jobs) once, stops those the managers want shut
 * down, removes those no longer assigned, and reports every status change. Tasks adopted after a
 * daemon restart are never started twice.
 */
public final class TaskSupervisor
    implements AssignmentReader.Sink, TaskRuntime.Listener, LocalTasks {

  private static final Logger LOG = LoggerFactory.getLogger(TaskSupervisor.class);

  private final TaskRuntime runtime;
  private final StatusReporter reporter;

  /** The assigned tasks as last sent by the managers. */
  private final Map<String, Task> assigned = new HashMap<>();

  /** What the runtime last said about each task it knows. */
  private final Map<String, TaskStatus> observed = new HashMap<>();

  /** Tasks asked to stop, so that a repeated assignment does not stop them twice. */
  private final Set<String> stopping = new HashSet<>();

  /** Told after every assignment change (the log publisher follows new tasks). */
  private final List<Runnable> assignmentListeners = new CopyOnWriteArrayList<>();

  public TaskSupervisor(TaskRuntime runtime, StatusReporter reporter) {
    this.runtime = runtime;
    this.reporter = reporter;
    Map<String, TaskStatus> adopted = runtime.adopt(this);
    synchronized (this) {
      observed.putAll(adopted);
    }
    adopted.forEach(reporter::report);
    if (!adopted.isEmpty()) {
      LOG.info("adopted {} task(s) from before the restart", adopted.size());
    }
  }

  @Override
  public synchronized void replaceAll(List<Task> tasks) {
    Set<String> now = new HashSet<>();
    tasks.forEach(t -> now.add(t.getId()));
    for (String id : List.copyOf(assigned.keySet())) {
      if (!now.contains(id)) {
        withdraw(id);
      }
    }
    // Tasks the runtime knows (adopted) that the managers no longer assign: stop and remove them
    // too.
    for (String id : List.copyOf(observed.keySet())) {
      if (!now.contains(id) && !assigned.containsKey(id)) {
        withdraw(id);
      }
    }
    tasks.forEach(this::reconcile);
    assignmentListeners.forEach(Runnable::run);
  }

  @Override
  public synchronized void change(List<Task> updated, List<String> removed) {
    removed.forEach(this::withdraw);
    updated.forEach(this::reconcile);
    assignmentListeners.forEach(Runnable::run);
  }

  @Override
  public synchronized Collection<Task> assigned() {
    return List.copyOf(assigned.values());
  }

  @Override
  public void onChange(Runnable listener) {
    assignmentListeners.add(listener);
  }

  @Override
  public void onStatus(String taskId, TaskStatus status) {
    synchronized (this) {
      TaskStatus before = observed.get(taskId);
      if (before != null && before.getStateValue() > status.getStateValue()) {
        return; // forward only, like the managers
      }
      observed.put(taskId, status);
      if (TerminalStates.isTerminal(status.getState())) {
        stopping.remove(taskId);
      }
    }
    reporter.report(taskId, status);
  }

  private void reconcile(Task task) {
    assigned.put(task.getId(), task);
    TaskStatus local = observed.get(task.getId());
    int desired = task.getDesiredStateValue();
    if (desired == TaskState.RUNNING_VALUE || desired == TaskState.COMPLETE_VALUE) {
      // RUNNING, or COMPLETE for a job: start it once; a terminated task is never restarted here
      // (the managers
      // create a new task for that). Desired READY means "wait" (a delayed restart): leave it
      // alone.
      if (local == null && task.getStatus().getStateValue() < TaskState.RUNNING_VALUE) {
        observed.put(task.getId(), task.getStatus());
        LOG.info("starting task {}", task.getAnnotations().getName());
        runtime.start(task, this);
      }
    } else if (desired < TaskState.RUNNING_VALUE) {
      return;
    } else if (local != null
        && !TerminalStates.isTerminal(local.getState())
        && stopping.add(task.getId())) {
      LOG.info(
          "stopping task {} (desired {})", task.getAnnotations().getName(), task.getDesiredState());
      runtime.stop(task.getId(), grace(task));
    } else if (local == null && !TerminalStates.isTerminal(task.getStatus().getState())) {
      // Assigned but never started here (e.g. scaled down before it began): it ends without
      // running.
      TaskStatus shutdown =
          TaskStatus.newBuilder()
              .setState(TaskState.SHUTDOWN)
              .setMessage("shutdown")
              .setTimestamp(ProtoTime.now())
              .build();
      observed.put(task.getId(), shutdown);
      reporter.report(task.getId(), shutdown);
    }
  }

  private void withdraw(String taskId) {
    Task task = assigned.remove(taskId);
    if (observed.remove(taskId) == null) {
      return;
    }
    stopping.remove(taskId);
    runtime.remove(taskId, task == null ? StopGrace.DEFAULT : grace(task));
  }

  private static Duration grace(Task task) {
    return StopGrace.of(task);
  }
}
