package io.corral.manager.dispatcher;

import io.corral.api.AssignmentChange;
import io.corral.api.Node;
import io.corral.api.Service;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import io.corral.common.NamedThreads;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.ReadTx;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreEvent;
import io.corral.manager.store.StoreException;
import io.corral.manager.store.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds every node's assignment stream from one watch of the store: the node's tasks, and the
 * service endpoints of every network it has a task on. Each batch of committed changes touches only
 * the tasks and (service, network) pairs it names, and only the nodes attached to those networks.
 * When a task is being stopped, every node is told it left the backends before its own node is told
 * to stop it.
 */
final class AssignmentHub implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AssignmentHub.class);

  /**
   * How long to gather changes that commit together (a scale of 40 tasks is one message, not 40).
   */
  private static final Duration BATCH_WINDOW = Duration.ofMillis(50);

  /** A batch is sent after this long even while changes keep coming. */
  private static final long MAX_BATCH_NANOS = Duration.ofMillis(250).toNanos();

  /** How long a new stream may wait for its complete set while nothing changes. */
  private static final Duration IDLE_POLL = Duration.ofMillis(20);

  private static final Predicate<StoreEvent> RELEVANT =
      e -> e.is(ObjectKind.TASK) || e.is(ObjectKind.SERVICE) || e.is(ObjectKind.NODE);

  private final Store store;
  private final Thread thread;
  private final Queue<AssignmentStream> joining = new ConcurrentLinkedQueue<>();

  // Used by the hub's thread only.
  private final Map<String, AssignmentStream> streams = new HashMap<>();
  private final EndpointIndex index = new EndpointIndex();

  private volatile boolean closed;

  AssignmentHub(Store store) {
    this.store = store;
    this.thread = NamedThreads.daemonThread(this::run, "assignments");
  }

  AssignmentHub start() {
    thread.start();
    return this;
  }

  /** Takes over the node's stream (replacing an older one); its complete set follows shortly. */
  void add(AssignmentStream stream) {
    joining.add(stream);
  }

  private void run() {
    while (!closed) {
      try (Watch watch = resync()) {
        while (!closed) {
          StoreEvent first = watch.poll(IDLE_POLL);
          if (first != null) {
            Batch batch = new Batch();
            batch.note(first);
            long until = System.nanoTime() + MAX_BATCH_NANOS;
            StoreEvent more;
            while (System.nanoTime() < until && (more = watch.poll(BATCH_WINDOW)) != null) {
              batch.note(more);
            }
            apply(batch);
          }
          admitJoining();
        }
      } catch (InterruptedException e) {
        return;
      } catch (StoreException e) {
        if (closed) {
          return;
        }
        // The watch fell behind: read everything again; every open stream gets a complete set.
        LOG.info("assignment watch interrupted ({}); re-reading the store", e.getMessage());
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("assignment hub failed; re-reading the store", e);
        if (!sleep(Duration.ofSeconds(1))) {
          return;
        }
      }
    }
  }

  /** Rebuilds the index from the store and sends every open stream a complete set. */
  private Watch resync() {
    Store.Snapshot<List<Runnable>> start =
        store.viewAndWatch(
            tx -> {
              index.clear();
              for (Task t : tx.list(ObjectKind.TASK)) {
                index.task(t.getId(), t);
              }
              Function<String, String> addr = nodeAddr(tx);
              for (Service s : tx.list(ObjectKind.SERVICE)) {
                List<Task> tasks = tx.tasksOfService(s.getId());
                for (String net : Endpoints.networksOf(s, tasks)) {
                  index.recompute(
                      new EndpointIndex.Key(s.getId(), net), Optional.of(s), tasks, addr);
                }
              }
              streams.values().removeIf(AssignmentStream::isClosed);
              return streams.values().stream().map(s -> complete(tx, s)).toList();
            },
            RELEVANT);
    start.value().forEach(Runnable::run);
    return start.watch();
  }

  private void admitJoining() {
    streams.values().removeIf(AssignmentStream::isClosed);
    if (joining.isEmpty()) {
      return;
    }
    List<AssignmentStream> admitted = new ArrayList<>();
    AssignmentStream s;
    while ((s = joining.poll()) != null) {
      if (!s.isClosed()) {
        streams.put(s.nodeId(), s);
        admitted.add(s);
      }
    }
    store.view(tx -> admitted.stream().map(a -> complete(tx, a)).toList()).forEach(Runnable::run);
  }

  /** The sending of a stream's complete set as of this view. */
  private Runnable complete(ReadTx tx, AssignmentStream s) {
    List<Task> tasks =
        tx.tasksOnNode(s.nodeId()).stream()
            .filter(t -> Assignments.isAssignedTo(t, s.nodeId()))
            .toList();
    Map<EndpointIndex.Key, ServiceEndpoints> endpoints = index.forNode(s.nodeId());
    return () -> s.sendComplete(tasks, endpoints);
  }

  /** What one batch of changes touched. */
  private static final class Batch {
    /** Task id → the nodes it was or is on. */
    final Map<String, Set<String>> tasks = new LinkedHashMap<>();

    final Set<EndpointIndex.Key> pairs = new LinkedHashSet<>();
    final Set<String> services = new LinkedHashSet<>();

    /** Nodes whose underlay address changed. */
    final Set<String> nodes = new LinkedHashSet<>();

    void note(StoreEvent e) {
      if (e.is(ObjectKind.TASK)) {
        Task t = (Task) e.object();
        Set<String> on = tasks.computeIfAbsent(t.getId(), k -> new LinkedHashSet<>());
        noteTask(t, on);
        if (e.previous() instanceof Task p) {
          noteTask(p, on);
        }
      } else if (e.is(ObjectKind.SERVICE)) {
        services.add(((Service) e.object()).getId());
      } else if (e.is(ObjectKind.NODE)) {
        Node n = (Node) e.object();
        if (!(e.previous() instanceof Node p)
            || e.type() == StoreEvent.Type.DELETE
            || !p.getStatus().getAddr().equals(n.getStatus().getAddr())) {
          nodes.add(n.getId());
        }
      }
    }

    private void noteTask(Task t, Set<String> on) {
      if (!t.getNodeId().isEmpty()) {
        on.add(t.getNodeId());
      }
      if (!t.getServiceId().isEmpty()) {
        Endpoints.networkIds(t).forEach(n -> pairs.add(new EndpointIndex.Key(t.getServiceId(), n)));
      }
    }
  }

  /** What the index made of a batch. */
  private record Applied(
      Map<String, Task> tasks,
      Set<EndpointIndex.Attachment> attachments,
      Set<EndpointIndex.Key> changedPairs) {}

  /** The changes one node is sent for a batch. */
  private static final class Outgoing {
    final List<AssignmentChange> endpoints = new ArrayList<>();
    final List<AssignmentChange> tasks = new ArrayList<>();
    boolean stopping;
  }

  private void apply(Batch batch) {
    Applied applied = store.view(tx -> update(tx, batch));
    Map<String, Outgoing> out = new LinkedHashMap<>();
    for (EndpointIndex.Key k : applied.changedPairs()) {
      ServiceEndpoints now = index.get(k);
      for (String node : index.nodesOn(k.networkId())) {
        AssignmentStream s = streams.get(node);
        if (s != null) {
          s.endpoint(k, now).ifPresent(c -> outgoing(out, node).endpoints.add(c));
        }
      }
    }
    for (EndpointIndex.Attachment a : applied.attachments()) {
      AssignmentStream s = streams.get(a.nodeId());
      if (s == null) {
        continue;
      }
      boolean attached = index.attached(a.nodeId(), a.networkId());
      Set<EndpointIndex.Key> keys = new LinkedHashSet<>(s.sentOn(a.networkId()));
      keys.addAll(index.pairsOn(a.networkId()));
      for (EndpointIndex.Key k : keys) {
        s.endpoint(k, attached ? index.get(k) : null)
            .ifPresent(c -> outgoing(out, a.nodeId()).endpoints.add(c));
      }
    }
    batch.tasks.forEach(
        (id, nodes) -> {
          Task now = applied.tasks().get(id);
          Set<String> targets = new LinkedHashSet<>(nodes);
          if (now != null && !now.getNodeId().isEmpty()) {
            targets.add(now.getNodeId());
          }
          for (String node : targets) {
            AssignmentStream s = streams.get(node);
            if (s == null) {
              continue;
            }
            Optional<AssignmentChange> c = s.task(id, now);
            if (c.isPresent()) {
              Outgoing o = outgoing(out, node);
              o.tasks.add(c.get());
              // A deleted task may have been a backend too: its removal waits like a stop.
              o.stopping |= now == null || Endpoints.isBeingStopped(now);
            }
          }
        });
    send(out);
  }

  /**
   * Sends each node its changes, endpoints before tasks; a node told to stop a networked task hears
   * of that only after every node was sent its endpoint changes.
   */
  private void send(Map<String, Outgoing> out) {
    List<Map.Entry<String, Outgoing>> stopping = new ArrayList<>();
    for (Map.Entry<String, Outgoing> e : out.entrySet()) {
      AssignmentStream s = streams.get(e.getKey());
      Outgoing o = e.getValue();
      if (o.stopping) {
        s.sendChanges(o.endpoints);
        stopping.add(e);
      } else {
        List<AssignmentChange> all = new ArrayList<>(o.endpoints);
        all.addAll(o.tasks);
        s.sendChanges(all);
      }
    }
    for (Map.Entry<String, Outgoing> e : stopping) {
      streams.get(e.getKey()).sendChanges(e.getValue().tasks);
    }
  }

  private static Outgoing outgoing(Map<String, Outgoing> out, String node) {
    return out.computeIfAbsent(node, k -> new Outgoing());
  }

  /** Brings the index up to date with what the batch touched, as the store has it now. */
  private Applied update(ReadTx tx, Batch batch) {
    Map<String, Task> now = new HashMap<>();
    Set<EndpointIndex.Attachment> attachments = new LinkedHashSet<>();
    Set<EndpointIndex.Key> pairs = new LinkedHashSet<>(batch.pairs);
    for (String id : batch.tasks.keySet()) {
      Task t = tx.get(ObjectKind.TASK, id).orElse(null);
      now.put(id, t);
      attachments.addAll(index.task(id, t));
      if (t != null && !t.getServiceId().isEmpty()) {
        Endpoints.networkIds(t).forEach(n -> pairs.add(new EndpointIndex.Key(t.getServiceId(), n)));
      }
    }
    Map<String, List<Task>> tasksOf = new HashMap<>();
    Function<String, List<Task>> tasks = id -> tasksOf.computeIfAbsent(id, tx::tasksOfService);
    for (String id : batch.services) {
      pairs.addAll(index.pairsOf(id));
      tx.get(ObjectKind.SERVICE, id)
          .ifPresent(
              s ->
                  Endpoints.networksOf(s, tasks.apply(id))
                      .forEach(n -> pairs.add(new EndpointIndex.Key(id, n))));
    }
    for (String node : batch.nodes) {
      for (Task t : tx.tasksOnNode(node)) {
        if (!t.getServiceId().isEmpty()) {
          Endpoints.networkIds(t)
              .forEach(n -> pairs.add(new EndpointIndex.Key(t.getServiceId(), n)));
        }
      }
    }
    Function<String, String> addr = nodeAddr(tx);
    Set<EndpointIndex.Key> changed = new LinkedHashSet<>();
    for (EndpointIndex.Key k : pairs) {
      if (index.recompute(
          k, tx.get(ObjectKind.SERVICE, k.serviceId()), tasks.apply(k.serviceId()), addr)) {
        changed.add(k);
      }
    }
    return new Applied(now, attachments, changed);
  }

  /** A node's underlay address by node id, "" when unknown; looked up once per node. */
  private static Function<String, String> nodeAddr(ReadTx tx) {
    Map<String, String> cache = new HashMap<>();
    return id ->
        cache.computeIfAbsent(
            id, k -> tx.get(ObjectKind.NODE, k).map(n -> n.getStatus().getAddr()).orElse(""));
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
