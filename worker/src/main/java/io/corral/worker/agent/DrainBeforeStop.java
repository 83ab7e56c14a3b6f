package io.corral.worker.agent;

import io.corral.api.LogSubscriptionOptions;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import io.corral.api.TaskEndpoint;
import io.corral.api.TaskStatus;
import io.corral.common.NamedThreads;
import io.corral.worker.network.EndpointTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a task its stop signal only once it has left DNS and the VIPs: while any service endpoint
 * on this node lists it as a backend, the stop waits for the managers' update (they withdraw a task
 * everywhere as soon as its desired state passes RUNNING), at most {@link #MAX_WAIT}. A task no
 * entry lists, such as every task without networks, is stopped at once. Everything else passes
 * straight to the runtime.
 */
final class DrainBeforeStop implements TaskRuntime, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DrainBeforeStop.class);

  /** The longest a stop waits for the task to leave the backends. */
  static final Duration MAX_WAIT = Duration.ofSeconds(1);

  private final TaskRuntime runtime;
  private final EndpointTable endpoints;
  private final Duration maxWait;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("endpoint-drain"));

  /** Stops (or removals) waiting for their task to leave the backends, by task id. */
  private final Map<String, Pending> pending = new HashMap<>();

  /** A stop waiting; a removal replaces a waiting stop (it stops the task too). */
  private static final class Pending {
    Runnable action;
    boolean remove;
    ScheduledFuture<?> timeout;
  }

  DrainBeforeStop(TaskRuntime runtime, EndpointTable endpoints) {
    this(runtime, endpoints, MAX_WAIT);
  }

  DrainBeforeStop(TaskRuntime runtime, EndpointTable endpoints, Duration maxWait) {
    this.runtime = runtime;
    this.endpoints = endpoints;
    this.maxWait = maxWait;
    endpoints.addListener(networks -> drained());
  }

  @Override
  public Map<String, TaskStatus> adopt(Listener listener) {
    return runtime.adopt(listener);
  }

  @Override
  public void start(Task task, Listener listener) {
    runtime.start(task, listener);
  }

  @Override
  public void stop(String taskId, Duration gracePeriod) {
    afterDrain(taskId, false, () -> runtime.stop(taskId, gracePeriod));
  }

  @Override
  public void remove(String taskId, Duration gracePeriod) {
    afterDrain(taskId, true, () -> runtime.remove(taskId, gracePeriod));
  }

  @Override
  public AutoCloseable logs(String taskId, LogSubscriptionOptions options, LogSink sink) {
    return runtime.logs(taskId, options, sink);
  }

  private void afterDrain(String taskId, boolean remove, Runnable action) {
    synchronized (this) {
      Pending p = pending.get(taskId);
      if (p != null) {
        if (remove || !p.remove) {
          p.action = action;
          p.remove = remove;
        }
        return;
      }
      if (!listedBy(taskId).isEmpty()) {
        Pending waiting = new Pending();
        waiting.action = action;
        waiting.remove = remove;
        try {
          waiting.timeout =
              timer.schedule(
                  () -> expire(taskId, waiting), maxWait.toMillis(), TimeUnit.MILLISECONDS);
          pending.put(taskId, waiting);
          return;
        } catch (RejectedExecutionException closed) {
          // shutting down: stop at once
        }
      }
    }
    action.run();
  }

  /** After an endpoint change: the waiting stops whose task no entry lists any more go ahead. */
  private void drained() {
    List<Runnable> ready = new ArrayList<>();
    synchronized (this) {
      if (pending.isEmpty()) {
        return;
      }
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (listedBy(e.getKey()).isEmpty()) {
          it.remove();
          e.getValue().timeout.cancel(false);
          ready.add(e.getValue().action);
        }
      }
    }
    ready.forEach(this::runQuietly);
  }

  private void expire(String taskId, Pending p) {
    Runnable action;
    List<String> still;
    synchronized (this) {
      if (!pending.remove(taskId, p)) {
        return;
      }
      action = p.action;
      still = listedBy(taskId);
    }
    LOG.warn(
        "stopping task {} although it is still a backend of {} after {} ms: the managers' endpoint"
            + " update has not arrived (is this node's session with the leader slow?)",
        taskId,
        still,
        maxWait.toMillis());
    runQuietly(action);
  }

  /** The entries ("service on network") that list the task as a backend. */
  private List<String> listedBy(String taskId) {
    List<String> out = new ArrayList<>();
    for (ServiceEndpoints e : endpoints.all()) {
      for (TaskEndpoint t : e.getTasksList()) {
        if (t.getTaskId().equals(taskId)) {
          out.add(e.getServiceName() + " on network " + e.getNetworkId());
          break;
        }
      }
    }
    return out;
  }

  private void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("stopping a task failed: {}", e.toString());
    }
  }

  /** Waiting stops are dropped: what runs keeps running for the next daemon to adopt. */
  @Override
  public void close() {
    timer.shutdownNow();
    synchronized (this) {
      pending.clear();
    }
  }

  /** For tests: how many stops wait. */
  synchronized Set<String> waiting() {
    return Set.copyOf(pending.keySet());
  }
}
