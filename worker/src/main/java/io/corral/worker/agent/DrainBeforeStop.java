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
import java.util.HashSet;
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
 * everywhere as soon as its desired state passes RUNNING), at most {@link #MAX_WAIT}. Once it has
 * left, a task that was a backend waits {@link #PROPAGATION} more, so that the other nodes, which
 * got the same update at about the same time, have rewritten their DNS answers and VIP tables
 * before it stops serving. A task never listed, such as every task without networks, is stopped at
 * once. Everything else passes straight to the runtime.
 */
final class DrainBeforeStop implements TaskRuntime, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DrainBeforeStop.class);

  /** The longest a stop waits for the task to leave the backends. */
  static final Duration MAX_WAIT = Duration.ofSeconds(1);

  /**
   * How long a withdrawn backend keeps serving before its stop: the time the other nodes take to
   * apply the withdrawal (an nft rewrite per client task namespace), with room for a loaded node.
   */
  static final Duration PROPAGATION = Duration.ofMillis(500);

  private final TaskRuntime runtime;
  private final EndpointTable endpoints;
  private final Duration maxWait;
  private final Duration propagation;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("endpoint-drain"));

  /** Stops (or removals) waiting for their task to leave the backends, by task id. */
  private final Map<String, Pending> pending = new HashMap<>();

  /** Tasks listed as a backend since their last stop: their stop waits for the propagation. */
  private final Set<String> backends = new HashSet<>();

  /** Tasks whose stop waits for the propagation, having left the backends here. */
  private final Set<String> settling = new HashSet<>();

  /** A stop waiting; a removal replaces a waiting stop (it stops the task too). */
  private static final class Pending {
    Runnable action;
    boolean remove;
    ScheduledFuture<?> timeout;
  }

  DrainBeforeStop(TaskRuntime runtime, EndpointTable endpoints) {
    this(runtime, endpoints, MAX_WAIT, PROPAGATION);
  }

  DrainBeforeStop(TaskRuntime runtime, EndpointTable endpoints, Duration maxWait) {
    this(runtime, endpoints, maxWait, Duration.ZERO);
  }

  DrainBeforeStop(
      TaskRuntime runtime, EndpointTable endpoints, Duration maxWait, Duration propagation) {
    this.runtime = runtime;
    this.endpoints = endpoints;
    this.maxWait = maxWait;
    this.propagation = propagation;
    recordBackends();
    endpoints.addListener(
        networks -> {
          recordBackends();
          drained();
        });
  }

  private synchronized void recordBackends() {
    for (ServiceEndpoints e : endpoints.all()) {
      e.getTasksList().forEach(t -> backends.add(t.getTaskId()));
    }
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
    afterPropagation(taskId, action);
  }

  /** Runs a stop whose task is no backend here: after the propagation if it was one. */
  private void afterPropagation(String taskId, Runnable action) {
    boolean wasBackend;
    synchronized (this) {
      wasBackend = backends.remove(taskId);
      if (wasBackend && !propagation.isZero() && settling.add(taskId)) {
        try {
          timer.schedule(
              () -> {
                synchronized (this) {
                  settling.remove(taskId);
                }
                runQuietly(action);
              },
              propagation.toMillis(),
              TimeUnit.MILLISECONDS);
          return;
        } catch (RejectedExecutionException closed) {
          settling.remove(taskId); // shutting down: stop at once
        }
      }
    }
    action.run();
  }

  /** After an endpoint change: the waiting stops whose task no entry lists any more go ahead. */
  private void drained() {
    Map<String, Runnable> ready = new HashMap<>();
    synchronized (this) {
      if (pending.isEmpty()) {
        return;
      }
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (listedBy(e.getKey()).isEmpty()) {
          it.remove();
          e.getValue().timeout.cancel(false);
          ready.put(e.getKey(), e.getValue().action);
        }
      }
    }
    ready.forEach((taskId, action) -> afterPropagation(taskId, () -> runQuietly(action)));
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
      backends.remove(taskId);
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
      settling.clear();
    }
  }

  /** For tests: how many stops wait. */
  synchronized Set<String> waiting() {
    return Set.copyOf(pending.keySet());
  }

  /** For tests: the stops waiting for the propagation. */
  synchronized Set<String> settling() {
    return Set.copyOf(settling);
  }
}
