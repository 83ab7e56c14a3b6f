package io.corral.manager.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Annotations;
import io.corral.api.Network;
import io.corral.api.NetworkSpec;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.UpdateStatus;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChangeWriterTest {

  private final InMemoryStore store = new InMemoryStore();

  @AfterEach
  void close() {
    store.close();
  }

  private Service service(String id) {
    store.update(
        tx ->
            tx.create(
                Service.newBuilder()
                    .setId(id)
                    .setSpec(
                        ServiceSpec.newBuilder()
                            .setAnnotations(Annotations.newBuilder().setName(id)))
                    .build()));
    return store.view(tx -> tx.get(ObjectKind.SERVICE, id)).orElseThrow();
  }

  private Network network(String id) {
    store.update(
        tx ->
            tx.create(
                Network.newBuilder()
                    .setId(id)
                    .setSpec(
                        NetworkSpec.newBuilder()
                            .setAnnotations(Annotations.newBuilder().setName(id)))
                    .build()));
    return store.view(tx -> tx.get(ObjectKind.NETWORK, id)).orElseThrow();
  }

  private Task task(String id, String serviceId) {
    store.update(
        tx -> tx.create(Task.newBuilder().setId(id).setServiceId(serviceId).setSlot(1).build()));
    return store.view(tx -> tx.get(ObjectKind.TASK, id)).orElseThrow();
  }

  private boolean exists(ObjectKind<?> kind, String id) {
    return store.view(tx -> tx.get(kind, id).isPresent());
  }

  private static Plan plan(Change... group) {
    return new Plan.Builder().add(group).build();
  }

  @Test
  void writesObjectsOfEveryKindNotOnlyTasks() {
    Service web = service("web");
    Network net = network("net");

    Service updating =
        web.toBuilder()
            .setUpdateStatus(UpdateStatus.newBuilder().setState(UpdateStatus.UpdateState.UPDATING))
            .build();
    ChangeWriter.Result r =
        ChangeWriter.apply(store, plan(new Change.Update(updating), new Change.Delete(net)));

    assertThat(r).isEqualTo(new ChangeWriter.Result(1, 0));
    Service now = store.view(tx -> tx.get(ObjectKind.SERVICE, "web")).orElseThrow();
    assertThat(now.getUpdateStatus().getState()).isEqualTo(UpdateStatus.UpdateState.UPDATING);
    assertThat(exists(ObjectKind.NETWORK, "net")).isFalse();
  }

  @Test
  void aDeleteOfAnObjectChangedSinceTheDecisionIsRefused() {
    Network read = network("net");
    store.update(tx -> tx.update(read.toBuilder().setPendingDelete(true).build()));

    ChangeWriter.Result r = ChangeWriter.apply(store, plan(new Change.Delete(read)));

    assertThat(r).isEqualTo(new ChangeWriter.Result(0, 1));
    assertThat(exists(ObjectKind.NETWORK, "net")).isTrue();
  }

  @Test
  void aGroupFailsWhenAnObjectItsDecisionReadHasChanged() {
    Service web = service("web");
    Task t1 = task("t1", "web");
    Task t2 = task("t2", "web");
    Change.Require asRead = Change.Require.unchanged(web);
    store.update(tx -> tx.update(web.toBuilder().setPreviousSpec(web.getSpec()).build()));

    ChangeWriter.Result r =
        ChangeWriter.apply(
            store,
            new Plan.Builder()
                .add(asRead, new Change.Update(t1.toBuilder().setNodeId("n1").build()))
                .add(new Change.Update(t2.toBuilder().setNodeId("n1").build()))
                .build());

    // The first group decided on the old service and is refused whole; the second does not depend
    // on it.
    assertThat(r).isEqualTo(new ChangeWriter.Result(1, 1));
    assertThat(store.view(tx -> tx.get(ObjectKind.TASK, "t1")).orElseThrow().getNodeId()).isEmpty();
    assertThat(store.view(tx -> tx.get(ObjectKind.TASK, "t2")).orElseThrow().getNodeId())
        .isEqualTo("n1");
  }

  @Test
  void requiringVersionZeroMeansTheObjectMustStillNotExist() {
    Change.Require absent = new Change.Require(ObjectKind.SERVICE, "web", 0);
    Service created =
        Service.newBuilder()
            .setId("db")
            .setSpec(
                ServiceSpec.newBuilder().setAnnotations(Annotations.newBuilder().setName("db")))
            .build();

    assertThat(ChangeWriter.apply(store, plan(absent, new Change.Create(created))))
        .isEqualTo(new ChangeWriter.Result(1, 0));
    service("web");
    Service other =
        created.toBuilder()
            .setId("db2")
            .setSpec(
                ServiceSpec.newBuilder().setAnnotations(Annotations.newBuilder().setName("db2")))
            .build();
    assertThat(ChangeWriter.apply(store, plan(absent, new Change.Create(other))))
        .isEqualTo(new ChangeWriter.Result(0, 1));
    assertThat(exists(ObjectKind.SERVICE, "db2")).isFalse();
  }

  @Test
  void twoGroupsDecidedOnTheSameObjectDoNotOverwriteEachOther() {
    Network read = network("net");
    Network first = read.toBuilder().setPendingDelete(true).build();
    Network second = read.toBuilder().setSpec(read.getSpec().toBuilder().setInternal(true)).build();

    ChangeWriter.Result r =
        ChangeWriter.apply(
            store,
            new Plan.Builder()
                .add(new Change.Update(first))
                .add(new Change.Update(second))
                .build());

    assertThat(r).isEqualTo(new ChangeWriter.Result(1, 1));
    Network now = store.view(tx -> tx.get(ObjectKind.NETWORK, "net")).orElseThrow();
    assertThat(now.getPendingDelete()).isTrue();
    assertThat(now.getSpec().getInternal()).isFalse();
  }
}
