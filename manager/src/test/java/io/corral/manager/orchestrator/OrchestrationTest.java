package io.corral.manager.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.manager.allocator.NetworkAttacher;
import io.corral.manager.controller.ControllerLoop;
import io.corral.manager.orchestrator.replicated.ReplicatedPlannerTest;
import io.corral.manager.placement.PlacementConstraints;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.StoreEvent;
import io.corral.manager.store.Watch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrchestrationTest {

  private final ClusterSim sim = new ClusterSim();
  private final AtomicBoolean leading = new AtomicBoolean(true);
  private final Orchestration.Settings settings =
      new Orchestration.Settings(
          new ControllerLoop.Timing(Duration.ofMillis(10), Duration.ofSeconds(30)),
          new PlacementConstraints(),
          NetworkAttacher.NONE);
  private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean checking = new AtomicBoolean(true);
  private Thread checker;
  private Orchestration orchestration;

  @AfterEach
  void close() throws InterruptedException {
    if (orchestration != null) {
      orchestration.close();
    }
    checking.set(false);
    if (checker != null) {
      checker.join();
    }
    sim.close();
  }

  private Orchestration start() {
    return Orchestration.start(sim.store, leading::get, sim.clock, settings);
  }

  /** After every committed change, no slot of the service may hold two tasks that want to run. */
  private void checkSlotsOnEveryChange(String serviceId) {
    Watch watch = sim.store.watch(e -> e.is(ObjectKind.TASK));
    checker =
        new Thread(
            () -> {
              try (watch) {
                while (checking.get()) {
                  StoreEvent e = watch.poll(Duration.ofMillis(10));
                  if (e == null) {
                    continue;
                  }
                  long index = e.index();
                  Map<Long, Long> perSlot =
                      sim.active(serviceId).stream()
                          .collect(Collectors.groupingBy(Task::getSlot, Collectors.counting()));
                  perSlot.forEach(
                      (slot, n) -> {
                        if (n > 1) {
                          violations.add(
                              "slot " + slot + " had " + n + " running tasks at index " + index);
                        }
                      });
                }
              } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
              }
            });
    checker.start();
  }

  private boolean onePerSlot(String serviceId, long replicas) {
    Map<Long, List<Task>> bySlot = sim.activeBySlot(serviceId);
    return bySlot.size() == replicas
        && bySlot.values().stream().allMatch(l -> l.size() == 1)
        && bySlot.keySet().stream().allMatch(s -> s >= 1 && s <= replicas);
  }

  @Test
  void convergesAgainAfterTheControllersRestartMidWay() {
    String id = sim.createService(ReplicatedPlannerTest.replicated(10)).getId();
    checkSlotsOnEveryChange(id);
    orchestration = start();
    await().until(() -> onePerSlot(id, 10));

    sim.scale(id, 450);
    // The leader dies while it is creating tasks; a new one starts from whatever got stored.
    await().until(() -> sim.active(id).size() > 10);
    orchestration.close();
    orchestration = start();

    await()
        .until(
            () ->
                onePerSlot(id, 450)
                    && sim.active(id).stream()
                        .allMatch(t -> t.getStatus().getState() == TaskState.PENDING));
    sim.scale(id, 5);
    await().until(() -> onePerSlot(id, 5) && sim.tasks(id).size() == 5);
    assertThat(violations).isEmpty();
  }

  @Test
  void controllersActOnlyWhileLeadingAndCatchUpWhenLeadingAgain() {
    leading.set(false);
    orchestration = start();
    String id = sim.createService(ReplicatedPlannerTest.replicated(3)).getId();
    checkSlotsOnEveryChange(id);

    leading.set(true);
    await().until(() -> onePerSlot(id, 3));

    leading.set(false);
    sim.scale(id, 6);
    leading.set(true);
    await().until(() -> onePerSlot(id, 6));
    assertThat(violations).isEmpty();
  }

  @Test
  void aDelayedRestartStartsWhenTheClockReachesIt() {
    var spec = ReplicatedPlannerTest.replicated(1);
    spec.getTaskBuilder()
        .getRestartBuilder()
        .setDelay(com.google.protobuf.Duration.newBuilder().setSeconds(5));
    String id = sim.createService(spec).getId();
    orchestration = start();
    await().until(() -> onePerSlot(id, 1));
    Task first = sim.active(id).get(0);

    sim.report(first.getId(), TaskState.FAILED);
    await()
        .until(() -> sim.active(id).stream().anyMatch(t -> t.getDesiredState() == TaskState.READY));

    sim.clock.advance(Duration.ofSeconds(5));
    await()
        .until(
            () -> sim.active(id).stream().anyMatch(t -> t.getDesiredState() == TaskState.RUNNING));
    assertThat(sim.active(id)).singleElement().satisfies(t -> assertThat(t.getSlot()).isEqualTo(1));
  }
}
