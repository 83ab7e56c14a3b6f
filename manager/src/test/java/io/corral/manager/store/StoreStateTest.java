package io.corral.manager.store;

import static io.corral.manager.store.Fixtures.secret;
import static io.corral.manager.store.Fixtures.service;
import static io.corral.manager.store.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.corral.api.StoreAction;
import io.corral.api.StoreBatch;
import io.corral.api.StoreSnapshot;
import io.corral.api.Task;
import org.junit.jupiter.api.Test;

class StoreStateTest {

  private static StoreBatch batch(StoreAction... actions) {
    return StoreBatch.newBuilder()
        .addAllActions(java.util.List.of(actions))
        .setTimestamp(Timestamp.newBuilder().setSeconds(1_700_000_000))
        .build();
  }

  private static StoreAction create(com.google.protobuf.Message m) {
    return actionOf(StoreAction.Kind.CREATE, m);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static StoreAction actionOf(StoreAction.Kind kind, com.google.protobuf.Message m) {
    ObjectKind k = ObjectKind.of(m);
    return k.action(kind, m);
  }

  @Test
  void replicasApplyingTheSameEntriesEndIdentical() {
    StoreState a = new StoreState();
    StoreState b = new StoreState();
    StoreBatch b1 = batch(create(service("s1", "web")), create(task("t1", "s1", "n1")));
    StoreBatch b2 = batch(create(secret("x", "pw", "hunter2")));
    for (StoreState s : new StoreState[] {a, b}) {
      s.apply(b1, 5);
      s.apply(b2, 9);
    }
    assertThat(a.toSnapshot()).isEqualTo(b.toSnapshot());
    assertThat(a.get(ObjectKind.SECRET, "x").orElseThrow().getMeta().getVersion()).isEqualTo(9);
  }

  @Test
  void snapshotRestoreKeepsObjectsIndexesAndAppliedIndex() {
    StoreState s = new StoreState();
    s.apply(
        batch(
            create(service("s1", "web")),
            create(task("t1", "s1", "n1")),
            create(task("t2", "s1", "n2")),
            create(secret("x", "pw", "v"))),
        3);
    s.advanceTo(7);
    StoreSnapshot snap = s.toSnapshot();

    StoreState restored = new StoreState();
    restored.apply(batch(create(service("junk", "junk"))), 1);
    restored.restore(snap);

    assertThat(restored.toSnapshot()).isEqualTo(snap);
    assertThat(restored.appliedIndex()).isEqualTo(7);
    assertThat(restored.byName(ObjectKind.SERVICE, "web")).isPresent();
    assertThat(restored.byName(ObjectKind.SERVICE, "junk")).isEmpty();
    assertThat(restored.tasksOnNode("n2")).extracting(Task::getId).containsExactly("t2");
    assertThat(restored.tasksOfService("s1")).hasSize(2);
    assertThat(restored.size()).isEqualTo(4);
  }

  @Test
  void aRefusedBatchChangesNothing() {
    StoreState s = new StoreState();
    s.apply(batch(create(service("s1", "web"))), 1);
    StoreSnapshot before = s.toSnapshot();
    assertThatThrownBy(
            () -> s.apply(batch(create(service("s2", "api")), create(service("s3", "web"))), 2))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.code()).isEqualTo(StoreException.Code.NAME_CONFLICT));
    assertThat(s.toSnapshot()).isEqualTo(before);
  }

  @Test
  void anObjectWrittenEarlierInTheBatchCanBeUpdatedWithoutKnowingItsVersion() {
    StoreState s = new StoreState();
    s.apply(
        batch(
            create(service("s1", "web")),
            actionOf(StoreAction.Kind.UPDATE, Fixtures.renamed(service("s1", "web"), "api"))),
        4);
    assertThat(s.get(ObjectKind.SERVICE, "s1").orElseThrow().getMeta().getVersion()).isEqualTo(4);
    assertThat(s.byName(ObjectKind.SERVICE, "api")).isPresent();
    assertThat(s.byName(ObjectKind.SERVICE, "web")).isEmpty();
  }
}
