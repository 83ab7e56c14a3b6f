package io.corral.worker.agent;

import io.corral.api.ListenSubscriptionsRequest;
import io.corral.api.LogBrokerGrpc;
import io.corral.api.SubscriptionMessage;
import io.corral.common.NamedThreads;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of `service logs`: within each session it listens for log subscriptions on the
 * manager (reopening the listener when its stream breaks while the session lasts) and publishes,
 * for each one, the logs of the local tasks it selects. Everything of a session stops when the
 * session ends.
 */
public final class LogPublisher implements Agent.SessionWork, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LogPublisher.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  private final TaskRuntime runtime;
  private final LocalTasks tasks;
  private final ExecutorService listeners =
      Executors.newCachedThreadPool(NamedThreads.daemon("log-subscriptions"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("log-publisher"));
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public LogPublisher(TaskRuntime runtime, LocalTasks tasks) {
    this.runtime = runtime;
    this.tasks = tasks;
    // Following subscriptions take up tasks assigned later; the rescan runs off the assignment
    // thread.
    tasks.onChange(
        () -> {
          if (!closed) {
            timer.execute(this::rescan);
          }
        });
  }

  @Override
  public void sessionStarted(
      ManagedChannel channel, String sessionId, Context.CancellableContext context) {
    Session s = new Session(channel, context);
    sessions.put(sessionId, s);
    listeners.execute(() -> s.listen(sessionId));
  }

  @Override
  public void sessionEnded(String sessionId) {
    Session s = sessions.remove(sessionId);
    if (s != null) {
      s.abortAll();
    }
  }

  /**
   * Ids of the subscriptions being published now, over all sessions (for tests and diagnostics).
   */
  public List<String> activeSubscriptions() {
    return sessions.values().stream().flatMap(s -> s.active.keySet().stream()).toList();
  }

  private void rescan() {
    var assigned = tasks.assigned();
    for (Session s : sessions.values()) {
      for (PublishedSubscription p : s.active.values()) {
        if (p.follow()) {
          p.take(assigned);
        }
      }
    }
  }

  /** One session's listener and the subscriptions it started. */
  private final class Session {

    private final ManagedChannel channel;
    private final Context.CancellableContext context;
    private final Map<String, PublishedSubscription> active = new ConcurrentHashMap<>();

    /**
     * Recently finished ids: a repeat (the listener reconnected before the manager saw close) is
     * not redone.
     */
    private final Set<String> finished =
        Collections.newSetFromMap(
            new LinkedHashMap<>() {
              @Override
              protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > 1000;
              }
            });

    Session(ManagedChannel channel, Context.CancellableContext context) {
      this.channel = channel;
      this.context = context;
    }

    void listen(String sessionId) {
      Duration backoff = MIN_BACKOFF;
      while (!context.isCancelled() && !closed) {
        try {
          Iterator<SubscriptionMessage> messages =
              context.call(
                  () ->
                      LogBrokerGrpc.newBlockingStub(channel)
                          .listenSubscriptions(ListenSubscriptionsRequest.getDefaultInstance()));
          while (messages.hasNext()) {
            backoff = MIN_BACKOFF;
            handle(messages.next());
          }
        } catch (StatusRuntimeException e) {
          if (!context.isCancelled() && !closed) {
            LOG.info(
                "log subscription stream of session {} ended: {}; reopening",
                sessionId,
                StatusText.brief(e.getStatus()));
          }
        } catch (Exception e) {
          LOG.warn("log subscription stream of session {} failed: {}", sessionId, e.toString());
        }
        if (!sleep(backoff)) {
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }

    private void handle(SubscriptionMessage m) {
      if (m.getClose()) {
        PublishedSubscription p = active.get(m.getId());
        if (p != null) {
          p.close();
        }
        return;
      }
      synchronized (finished) {
        if (active.containsKey(m.getId()) || finished.contains(m.getId())) {
          return; // told again after the listener reconnected: it runs or ran already
        }
      }
      PublishedSubscription p =
          new PublishedSubscription(
              m,
              runtime,
              () -> {
                synchronized (finished) {
                  finished.add(m.getId());
                  active.remove(m.getId());
                }
              });
      active.put(m.getId(), p);
      LOG.debug("publishing logs for subscription {}", m.getId());
      p.start(channel, context, timer, tasks.assigned());
    }

    void abortAll() {
      active.values().forEach(p -> p.abort("the session ended"));
    }

    private boolean sleep(Duration d) {
      try {
        Thread.sleep(d.toMillis());
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    sessions.values().forEach(Session::abortAll);
    sessions.clear();
    listeners.shutdownNow();
    timer.shutdownNow();
  }
}
