package io.corral.manager.orchestrator;

import static org.assertj.core.api.Assertions.fail;

import io.corral.api.Annotations;
import io.corral.api.Cluster;
import io.corral.api.ClusterSpec;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.OrchestrationConfig;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.Version;
import io.corral.common.ProtoTime;
import io.corral.common.TerminalStates;
import io.corral.manager.allocator.NetworkAttacher;
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
import io.corral.manager.placement.NodeEligibility;
import io.corral.manager.placement.PlacementConstraints;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.ReadTx;
import io.corral.manager.task.TaskStates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A cluster for controller tests: an in-memory store, a hand-moved clock, every controller as a
 * synchronous pass, and stand-ins for the scheduler and the agents that tests call when they want
 * them to act.
 */
public final class ClusterSim implements AutoCloseable {

  public final InMemoryStore store = new InMemoryStore();
  public final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
  final NodeEligibility nodes = new NodeEligibility(new PlacementConstraints());
  private final List<ControllerLoop.Pass> passes = new ArrayList<>();
  private int nextService;

  public ClusterSim() {
    TaskAllocator allocator = new TaskAllocator(store, clock, NetworkAttacher.NONE);
    passes.add(
        () -> {
          allocator.allocatePending();
          return java.util.Optional.empty();
        });
    for (Planner p :
        List.of(
            new ReplicatedPlanner(),
            new GlobalPlanner(nodes),
            new ReplicatedJobPlanner(),
            new RestartSupervisor(nodes),
            new DelayedStarts(),
            new UpdateSupervisor(nodes),
            new ConstraintEnforcer(nodes),
            new TaskReaper())) {
      passes.add(new PlanningPass(p.getClass().getSimpleName(), store, clock, p));
    }
  }

  /** Runs every controller until none writes anything more. */
  public void converge() {
    for (int round = 0; round < 100; round++) {
      long before = index();
      passes.forEach(ControllerLoop.Pass::run);
      if (index() == before) {
        return;
      }
    }
    fail("controllers did not converge");
  }

  long index() {
    return store.view(ReadTx::appliedIndex);
  }

  public void cluster(long historyLimit) {
    store.update(
        tx ->
            tx.create(
                Cluster.newBuilder()
                    .setId("c1")
                    .setSpec(
                        ClusterSpec.newBuilder()
                            .setAnnotations(Annotations.newBuilder().setName("default"))
                            .setOrchestration(
                                OrchestrationConfig.newBuilder()
                                    .setTaskHistoryRetentionLimit(historyLimit)))
                    .build()));
  }

  public Node addNode(String id) {
    Node n =
        Node.newBuilder()
            .setId(id)
            .setSpec(NodeSpec.newBuilder().setAvailability(NodeSpec.Availability.ACTIVE))
            .setDescription(NodeDescription.newBuilder().setHostname("host-" + id))
            .setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.READY))
            .build();
    store.update(tx -> tx.create(n));
    return n;
  }

  public void updateNode(String id, UnaryOperator<Node> change) {
    store.update(tx -> tx.update(change.apply(tx.get(ObjectKind.NODE, id).orElseThrow())));
  }

  public void drain(String id) {
    updateNode(
        id,
        n ->
            n.toBuilder()
                .setSpec(n.getSpec().toBuilder().setAvailability(NodeSpec.Availability.DRAIN))
                .build());
  }

  public void nodeState(String id, NodeStatus.State state) {
    updateNode(id, n -> n.toBuilder().setStatus(n.getStatus().toBuilder().setState(state)).build());
  }

  public Service createService(ServiceSpec.Builder spec) {
    String id = "svc" + (++nextService);
    if (spec.getAnnotations().getName().isEmpty()) {
      spec.setAnnotations(Annotations.newBuilder().setName("web" + nextService));
    }
    store.update(tx -> tx.create(Service.newBuilder().setId(id).setSpec(spec).build()));
    return service(id);
  }

  /** A service as the Control API creates it: with a spec_version, so that it can be updated. */
  public Service createVersioned(ServiceSpec.Builder spec) {
    Service s = createService(spec);
    updateService(
        s.getId(), x -> x.toBuilder().setSpecVersion(Version.newBuilder().setIndex(1)).build());
    return service(s.getId());
  }

  /** A new task template, as `service update` writes it: next spec version, previous spec kept. */
  public void updateSpec(String id, UnaryOperator<ServiceSpec> change) {
    updateService(
        id,
        s ->
            s.toBuilder()
                .setSpec(change.apply(s.getSpec()))
                .setPreviousSpec(s.getSpec())
                .setPreviousSpecVersion(s.getSpecVersion())
                .setSpecVersion(
                    Version.newBuilder()
                        .setIndex(
                            Math.max(
                                    s.getSpecVersion().getIndex(),
                                    s.getPreviousSpecVersion().getIndex())
                                + 1))
                .clearUpdateStatus()
                .build());
  }

  public Service service(String id) {
    return store.view(tx -> tx.get(ObjectKind.SERVICE, id)).orElseThrow();
  }

  public void updateService(String id, UnaryOperator<Service> change) {
    store.update(tx -> tx.update(change.apply(tx.get(ObjectKind.SERVICE, id).orElseThrow())));
  }

  public void scale(String id, long replicas) {
    updateService(
        id,
        s ->
            s.toBuilder()
                .setSpec(
                    s.getSpec().toBuilder()
                        .setReplicated(
                            s.getSpec().getReplicated().toBuilder().setReplicas(replicas)))
                .build());
  }

  public List<Task> tasks(String serviceId) {
    return store.view(tx -> tx.tasksOfService(serviceId));
  }

  public List<Task> active(String serviceId) {
    return tasks(serviceId).stream().filter(TaskStates::wantsToRun).toList();
  }

  /** Tasks that still want to run, by slot number. */
  public Map<Long, List<Task>> activeBySlot(String serviceId) {
    return active(serviceId).stream()
        .collect(Collectors.groupingBy(Task::getSlot, TreeMap::new, Collectors.toList()));
  }

  public Task task(String id) {
    return store.view(tx -> tx.get(ObjectKind.TASK, id)).orElseThrow();
  }

  /**
   * The scheduler stand-in: PENDING tasks go to the ready active node with fewest tasks (or keep
   * theirs).
   */
  public void schedule() {
    store.update(
        tx -> {
          List<Node> ready =
              tx.find(
                  ObjectKind.NODE,
                  n ->
                      n.getStatus().getState() == NodeStatus.State.READY
                          && n.getSpec().getAvailability() == NodeSpec.Availability.ACTIVE);
          for (Task t :
              tx.find(
                  ObjectKind.TASK,
                  t -> t.getStatus().getState() == TaskState.PENDING && TaskStates.wantsToRun(t))) {
            String node = t.getNodeId();
            if (node.isEmpty()) {
              if (ready.isEmpty()) {
                continue;
              }
              node =
                  ready.stream()
                      .min(
                          Comparator.comparingLong(
                                  (Node n) ->
                                      tx.tasksOnNode(n.getId()).stream()
                                          .filter(TaskStates::wantsToRun)
                                          .count())
                              .thenComparing(Node::getId))
                      .orElseThrow()
                      .getId();
            }
            Task.Builder b = t.toBuilder().setNodeId(node);
            b.getStatusBuilder().setState(TaskState.ASSIGNED);
            tx.update(b.build());
          }
        });
  }

  /**
   * The agents' stand-in, on nodes that are not down: start what should run, stop what should stop.
   */
  public void agents() {
    store.update(
        tx -> {
          for (Task t :
              tx.find(
                  ObjectKind.TASK,
                  t ->
                      TaskStates.reachedAgent(t)
                          && !TerminalStates.isTerminal(t.getStatus().getState()))) {
            Node n = tx.get(ObjectKind.NODE, t.getNodeId()).orElse(null);
            if (n == null || n.getStatus().getState() == NodeStatus.State.DOWN) {
              continue;
            }
            TaskState next =
                t.getDesiredStateValue() >= TaskState.SHUTDOWN_VALUE
                    ? TaskState.SHUTDOWN
                    : t.getDesiredState() == TaskState.READY ? TaskState.READY : TaskState.RUNNING;
            if (next != t.getStatus().getState()) {
              tx.update(withStatus(t, next));
            }
          }
        });
  }

  /** Scheduler, agents and controllers until nothing moves. */
  public void settle() {
    for (int round = 0; round < 100; round++) {
      long before = index();
      converge();
      schedule();
      agents();
      if (index() == before) {
        return;
      }
    }
    fail("cluster did not settle");
  }

  /** An agent's report that the task reached {@code state}. */
  public void report(String taskId, TaskState state) {
    store.update(tx -> tx.update(withStatus(tx.get(ObjectKind.TASK, taskId).orElseThrow(), state)));
  }

  private Task withStatus(Task t, TaskState state) {
    Task.Builder b = t.toBuilder();
    b.getStatusBuilder()
        .setState(state)
        .setTimestamp(ProtoTime.timestamp(clock.instant()))
        .setAppliedAt(ProtoTime.timestamp(clock.instant()));
    if (state == TaskState.RUNNING && !t.hasRunningSince()) {
      b.setRunningSince(ProtoTime.timestamp(clock.instant())); // as the dispatcher does
    }
    return b.build();
  }

  @Override
  public void close() {
    store.close();
  }
}
