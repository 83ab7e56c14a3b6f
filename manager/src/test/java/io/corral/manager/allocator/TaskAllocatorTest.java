package io.corral.manager.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Annotations;
import io.corral.api.IPAMConfig;
import io.corral.api.IPAMOptions;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.NetworkSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.manager.controller.Change;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskAllocatorTest {

  private final InMemoryStore store = new InMemoryStore();
  private final Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

  @AfterEach
  void close() {
    store.close();
  }

  private void task(String id, TaskState desired, TaskState state) {
    store.update(
        tx ->
            tx.create(
                Task.newBuilder()
                    .setId(id)
                    .setServiceId("s")
                    .setSlot(1)
                    .setDesiredState(desired)
                    .setStatus(TaskStatus.newBuilder().setState(state))
                    .build()));
  }

  private Task get(String id) {
    return store.view(tx -> tx.get(ObjectKind.TASK, id)).orElseThrow();
  }

  @Test
  void movesNewTasksThatShouldRunToPending() {
    task("new", TaskState.RUNNING, TaskState.NEW);
    task("ready", TaskState.READY, TaskState.NEW);
    task("stopped", TaskState.SHUTDOWN, TaskState.NEW);
    task("assigned", TaskState.RUNNING, TaskState.ASSIGNED);

    int moved = new TaskAllocator(store, clock, NetworkAttacher.NONE).allocatePending();

    assertThat(moved).isEqualTo(2);
    assertThat(get("new").getStatus().getState()).isEqualTo(TaskState.PENDING);
    assertThat(get("new").getStatus().getMessage()).isEqualTo(TaskAllocator.PENDING_MESSAGE);
    assertThat(get("ready").getStatus().getState()).isEqualTo(TaskState.PENDING);
    assertThat(get("stopped").getStatus().getState()).isEqualTo(TaskState.NEW);
    assertThat(get("assigned").getStatus().getState()).isEqualTo(TaskState.ASSIGNED);
  }

  @Test
  void aTaskWhoseNetworksAreNotReadyWaitsWithTheReason() {
    task("t", TaskState.RUNNING, TaskState.NEW);
    NetworkAttacher notYet =
        snap -> t -> new NetworkAttacher.Waiting("network backend not allocated");

    assertThat(new TaskAllocator(store, clock, notYet).allocatePending()).isZero();

    assertThat(get("t").getStatus().getState()).isEqualTo(TaskState.NEW);
    assertThat(get("t").getStatus().getMessage()).isEqualTo("network backend not allocated");
  }

  @Test
  void allocationsCommitWithTheTasksOrNotAtAll() {
    task("t1", TaskState.RUNNING, TaskState.NEW);
    task("t2", TaskState.RUNNING, TaskState.NEW);
    store.update(
        tx ->
            tx.create(
                Network.newBuilder()
                    .setId("net")
                    .setSpec(
                        NetworkSpec.newBuilder()
                            .setAnnotations(Annotations.newBuilder().setName("net")))
                    .build()));
    AtomicBoolean otherWriter = new AtomicBoolean(true);
    // Each task takes an address from the network as read, and records it there; once, another
    // writer changes the network between the decision's read and its commit.
    NetworkAttacher oneAddress =
        snap -> {
          Network read = snap.network("net").orElseThrow();
          if (otherWriter.getAndSet(false)) {
            store.update(tx -> tx.update(read));
          }
          AtomicInteger next = new AtomicInteger(2);
          return t -> {
            String addr = "10.0.1." + next.getAndIncrement() + "/24";
            return new NetworkAttacher.Attached(
                t.toBuilder()
                    .addNetworks(NetworkAttachment.newBuilder().addAddresses(addr))
                    .build(),
                List.of(
                    new Change.Update(
                        read.toBuilder()
                            .setIpam(
                                IPAMOptions.newBuilder()
                                    .addConfigs(
                                        IPAMConfig.newBuilder()
                                            .setSubnet("10.0.1.0/24")
                                            .setGateway(addr)))
                            .build())));
          };
        };
    TaskAllocator allocator = new TaskAllocator(store, clock, oneAddress);

    assertThat(allocator.allocatePending()).isZero();
    assertThat(get("t1").getStatus().getState()).isEqualTo(TaskState.NEW);
    assertThat(get("t2").getNetworksList()).isEmpty();
    assertThat(store.view(tx -> tx.get(ObjectKind.NETWORK, "net")).orElseThrow().hasIpam())
        .isFalse();

    assertThat(allocator.allocatePending()).isEqualTo(2);
    assertThat(get("t1").getNetworks(0).getAddresses(0)).isEqualTo("10.0.1.2/24");
    assertThat(get("t2").getNetworks(0).getAddresses(0)).isEqualTo("10.0.1.3/24");
    // The last allocation of the network in the pass is the one written.
    assertThat(
            store
                .view(tx -> tx.get(ObjectKind.NETWORK, "net"))
                .orElseThrow()
                .getIpam()
                .getConfigs(0)
                .getGateway())
        .isEqualTo("10.0.1.3/24");
  }
}
