package io.corral.manager.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Annotations;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.NodeRole;
import io.corral.api.NodeSpec;
import io.corral.api.NodeStatus;
import io.corral.api.Placement;
import io.corral.api.PlacementPreference;
import io.corral.api.ResourceRequirements;
import io.corral.api.Resources;
import io.corral.api.SpreadOver;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.placement.PlacementConstraints;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Placement decisions of the scheduler, from hand-made snapshots. */
class SchedulerTest {

  private static final long GIB = 1L << 30;
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final Scheduler scheduler = new Scheduler(new PlacementConstraints());

  private static Node node(String id, UnaryOperator<Node.Builder> change) {
    Node.Builder b =
        Node.newBuilder()
            .setId(id)
            .setSpec(NodeSpec.newBuilder().setAvailability(NodeSpec.Availability.ACTIVE))
            .setDescription(
                NodeDescription.newBuilder()
                    .setHostname(id)
                    .setResources(
                        Resources.newBuilder().setNanoCpus(4_000_000_000L).setMemoryBytes(8 * GIB)))
            .setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.READY));
    return change.apply(b).build();
  }

  private static Node node(String id) {
    return node(id, b -> b);
  }

  private static Node availability(String id, NodeSpec.Availability a) {
    return node(id, b -> b.setSpec(b.getSpec().toBuilder().setAvailability(a)));
  }

  private static Node memory(String id, long bytes) {
    return node(
        id,
        b ->
            b.setDescription(
                b.getDescription().toBuilder()
                    .setResources(
                        Resources.newBuilder().setNanoCpus(4_000_000_000L).setMemoryBytes(bytes))));
  }

  private static Node labelled(String id, String key, String value) {
    return node(
        id,
        b ->
            b.setSpec(
                b.getSpec().toBuilder()
                    .setAnnotations(Annotations.newBuilder().putLabels(key, value))));
  }

  private static List<Task> pending(
      String service, int count, UnaryOperator<TaskSpec.Builder> spec) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(
            slot ->
                Task.newBuilder()
                    .setId(service + "-t" + slot)
                    .setServiceId(service)
                    .setSlot(slot)
                    .setSpec(spec.apply(TaskSpec.newBuilder()))
                    .setDesiredState(TaskState.RUNNING)
                    .setStatus(TaskStatus.newBuilder().setState(TaskState.PENDING))
                    .build())
        .toList();
  }

  private static Task running(String service, String id, String node) {
    return Task.newBuilder()
        .setId(id)
        .setServiceId(service)
        .setNodeId(node)
        .setDesiredState(TaskState.RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.RUNNING))
        .build();
  }

  private static UnaryOperator<TaskSpec.Builder> reserveMemory(long bytes) {
    return s ->
        s.setResources(
            ResourceRequirements.newBuilder()
                .setReservations(Resources.newBuilder().setMemoryBytes(bytes)));
  }

  private static UnaryOperator<TaskSpec.Builder> placement(UnaryOperator<Placement.Builder> p) {
    return s -> s.setPlacement(p.apply(Placement.newBuilder()));
  }

  private Plan plan(List<Node> nodes, List<Task> tasks) {
    return scheduler.plan(ClusterSnapshot.of(Optional.empty(), List.of(), nodes, tasks), NOW);
  }

  private static List<Task> updates(Plan plan) {
    return plan.changes().stream().map(c -> (Task) ((Change.Update) c).object()).toList();
  }

  private static Map<String, Long> assignedPerNode(Plan plan) {
    return updates(plan).stream()
        .filter(t -> t.getStatus().getState() == TaskState.ASSIGNED)
        .collect(Collectors.groupingBy(Task::getNodeId, Collectors.counting()));
  }

  private static List<String> errors(Plan plan) {
    return updates(plan).stream()
        .filter(t -> t.getStatus().getState() == TaskState.PENDING)
        .map(t -> t.getStatus().getErr())
        .toList();
  }

  @Test
  void tenReplicasOnFiveNodesGoTwoPerNode() {
    List<Node> nodes = List.of(node("a"), node("b"), node("c"), node("d"), node("e"));
    Plan plan = plan(nodes, pending("web", 10, s -> s));
    assertThat(assignedPerNode(plan))
        .containsOnlyKeys("a", "b", "c", "d", "e")
        .allSatisfy((n, c) -> assertThat(c).isEqualTo(2));
    assertThat(updates(plan))
        .allSatisfy(
            t -> {
              assertThat(t.getStatus().getMessage()).isEqualTo(Scheduler.ASSIGNED_MESSAGE);
              assertThat(t.getStatus().getTimestamp().getSeconds()).isEqualTo(NOW.getEpochSecond());
            });
  }

  @Test
  void newTasksFillTheNodesWithFewestTasksOfTheServiceFirst() {
    List<Task> tasks =
        new ArrayList<>(
            List.of(
                running("web", "r1", "a"),
                running("web", "r2", "a"),
                running("web", "r3", "b"),
                running("other", "o1", "c"),
                running("other", "o2", "c")));
    tasks.addAll(pending("web", 3, s -> s));
    // c has no web task (only others), b has one, a two: c first, then b and c tie on web tasks,
    // and b has
    // fewer tasks overall.
    assertThat(assignedPerNode(plan(List.of(node("a"), node("b"), node("c")), tasks)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("c", 2L, "b", 1L));
  }

  @Test
  void downPausedAndDrainedNodesGetNoNewTasksAndTheReasonIsShown() {
    List<Node> nodes =
        List.of(
            availability("p", NodeSpec.Availability.PAUSE),
            availability("d", NodeSpec.Availability.DRAIN),
            node("x", b -> b.setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.DOWN))));
    Plan plan = plan(nodes, pending("web", 2, s -> s));
    assertThat(assignedPerNode(plan)).isEmpty();
    assertThat(errors(plan)).containsOnly("no suitable node (3 nodes not available for new tasks)");
    assertThat(updates(plan)).allSatisfy(t -> assertThat(t.getNodeId()).isEmpty());
  }

  @Test
  void theReasonCountsEachNodeAgainstTheFirstFilterThatRefusesIt() {
    List<Node> nodes =
        List.of(
            availability("p", NodeSpec.Availability.PAUSE),
            availability("d", NodeSpec.Availability.DRAIN),
            memory("m1", GIB),
            memory("m2", GIB),
            memory("m3", GIB));
    Plan plan = plan(nodes, pending("web", 1, reserveMemory(2 * GIB)));
    assertThat(errors(plan))
        .containsExactly(
            "no suitable node (2 nodes not available for new tasks; insufficient memory on 3 nodes)");
  }

  @Test
  void reservationsMadeInOnePassAreCountedForTheNextTask() {
    Plan plan = plan(List.of(memory("a", 2 * GIB)), pending("web", 3, reserveMemory(GIB)));
    assertThat(assignedPerNode(plan)).containsExactlyEntriesOf(Map.of("a", 2L));
    assertThat(errors(plan)).containsExactly("no suitable node (insufficient memory on 1 node)");
  }

  @Test
  void runningTasksHoldTheirReservationsButEndedOnesDoNot() {
    Task holding =
        running("db", "r1", "a").toBuilder()
            .setSpec(reserveMemory(GIB).apply(TaskSpec.newBuilder()))
            .build();
    Task ended =
        holding.toBuilder()
            .setId("r2")
            .setStatus(TaskStatus.newBuilder().setState(TaskState.FAILED))
            .build();
    List<Task> tasks = new ArrayList<>(List.of(holding, ended));
    tasks.addAll(pending("web", 2, reserveMemory(GIB)));
    Plan plan = plan(List.of(memory("a", 2 * GIB)), tasks);
    assertThat(assignedPerNode(plan)).containsExactlyEntriesOf(Map.of("a", 1L));
  }

  @Test
  void constraintsChooseTheNodes() {
    List<Node> nodes = List.of(node("m", b -> b.setRole(NodeRole.MANAGER)), node("w1"), node("w2"));
    Plan plan =
        plan(nodes, pending("web", 4, placement(p -> p.addConstraints("node.role==worker"))));
    assertThat(assignedPerNode(plan))
        .containsExactlyInAnyOrderEntriesOf(Map.of("w1", 2L, "w2", 2L));

    Plan none =
        plan(nodes, pending("web", 1, placement(p -> p.addConstraints("node.labels.zone==east"))));
    assertThat(errors(none))
        .containsExactly("no suitable node (scheduling constraints not satisfied on 3 nodes)");
  }

  @Test
  void maxReplicasPerNodeIsRespected() {
    Plan plan =
        plan(List.of(node("a"), node("b")), pending("web", 3, placement(p -> p.setMaxReplicas(1))));
    assertThat(assignedPerNode(plan)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1L, "b", 1L));
    assertThat(errors(plan))
        .containsExactly("no suitable node (max replicas per node limit exceeded on 2 nodes)");
  }

  @Test
  void spreadPreferenceBalancesLabelValuesBeforeNodes() {
    List<Node> nodes =
        List.of(
            labelled("a1", "zone", "a"),
            labelled("b1", "zone", "b"),
            labelled("b2", "zone", "b"),
            labelled("b3", "zone", "b"));
    Plan plan =
        plan(
            nodes,
            pending(
                "web",
                4,
                placement(
                    p ->
                        p.addPreferences(
                            PlacementPreference.newBuilder()
                                .setSpread(
                                    SpreadOver.newBuilder()
                                        .setSpreadDescriptor("node.labels.zone"))))));
    Map<String, Long> perNode = assignedPerNode(plan);
    assertThat(perNode.get("a1")).isEqualTo(2L);
    assertThat(
            perNode.getOrDefault("b1", 0L)
                + perNode.getOrDefault("b2", 0L)
                + perNode.getOrDefault("b3", 0L))
        .isEqualTo(2L);
    assertThat(perNode.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2L));
  }

  @Test
  void aTaskThatComesWithItsNodeIsAssignedThereOnlyIfTheNodeTakesNewTasks() {
    Task global = pending("g", 1, s -> s).get(0).toBuilder().setNodeId("b").build();
    assertThat(assignedPerNode(plan(List.of(node("a"), node("b")), List.of(global))))
        .containsExactlyEntriesOf(Map.of("b", 1L));
    Plan paused =
        plan(List.of(node("a"), availability("b", NodeSpec.Availability.PAUSE)), List.of(global));
    assertThat(errors(paused))
        .containsExactly("no suitable node (1 node not available for new tasks)");
  }

  @Test
  void anUnchangedReasonIsNotWrittenAgain() {
    List<Node> nodes = List.of(availability("p", NodeSpec.Availability.PAUSE));
    Task task = updates(plan(nodes, pending("web", 1, s -> s))).get(0);
    assertThat(plan(nodes, List.of(task)).isEmpty()).isTrue();
  }

  @Test
  void tasksNoLongerWantedAndAssignedTasksAreLeftAlone() {
    Task shutdown =
        pending("web", 1, s -> s).get(0).toBuilder().setDesiredState(TaskState.SHUTDOWN).build();
    Task assigned =
        running("web", "r1", "a").toBuilder()
            .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
            .build();
    assertThat(plan(List.of(node("a")), List.of(shutdown, assigned)).isEmpty()).isTrue();
  }

  @Test
  void noNodesAtAllIsExplained() {
    assertThat(errors(plan(List.of(), pending("web", 1, s -> s))))
        .containsExactly("no suitable node (no nodes in the cluster)");
  }
}
