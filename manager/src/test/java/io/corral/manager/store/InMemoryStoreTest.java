package io.corral.manager.store;

import static io.corral.manager.store.Fixtures.renamed;
import static io.corral.manager.store.Fixtures.secret;
import static io.corral.manager.store.Fixtures.service;
import static io.corral.manager.store.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.Service;
import io.corral.api.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryStoreTest {

  private final InMemoryStore store = new InMemoryStore();

  @AfterEach
  void close() {
    store.close();
  }

  private Service get(String id) {
    return find(id).orElseThrow();
  }

  private Optional<Service> find(String id) {
    return store.view(tx -> tx.get(ObjectKind.SERVICE, id));
  }

  private Optional<Service> named(String name) {
    return store.view(tx -> tx.byName(ObjectKind.SERVICE, name));
  }

  private List<Task> onNode(String nodeId) {
    return store.view(tx -> tx.tasksOnNode(nodeId));
  }

  @Test
  void createStampsVersionAndTimes() {
    CommitResult r = store.update(tx -> tx.create(service("s1", "web")));
    Service s = get("s1");
    assertThat(s.getMeta().getVersion()).isEqualTo(r.index()).isPositive();
    assertThat(s.getMeta().getCreatedAt()).isEqualTo(s.getMeta().getUpdatedAt());
    assertThat(r.first(ObjectKind.SERVICE)).contains(s);
    assertThat(named("web")).contains(s);
  }

  @Test
  void updateWithTheVersionReadSucceedsAndKeepsCreatedAt() throws Exception {
    store.update(tx -> tx.create(service("s1", "web")));
    Service read = get("s1");
    Thread.sleep(2);
    CommitResult r = store.update(tx -> tx.update(renamed(read, "web2")));
    Service now = get("s1");
    assertThat(now.getMeta().getVersion())
        .isEqualTo(r.index())
        .isGreaterThan(read.getMeta().getVersion());
    assertThat(now.getMeta().getCreatedAt()).isEqualTo(read.getMeta().getCreatedAt());
    assertThat(now.getMeta().getUpdatedAt()).isNotEqualTo(read.getMeta().getUpdatedAt());
    assertThat(r.first(ObjectKind.SERVICE)).contains(now);
  }

  @Test
  void staleVersionIsAConflictAndTheWholeBatchIsRefused() {
    store.update(
        tx -> {
          tx.create(service("s1", "a"));
          tx.create(service("s2", "b"));
        });
    Service s1 = get("s1");
    Service s2 = get("s2");
    store.update(tx -> tx.update(renamed(s1, "a-changed")));

    assertThatThrownBy(
            () ->
                store.update(
                    tx -> {
                      tx.update(renamed(s2, "b-changed"));
                      tx.update(renamed(s1, "a-stale"));
                    }))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StoreException.Code.VERSION_CONFLICT);
              assertThat(e.getMessage()).contains("service s1").contains("read it again");
            });
    assertThat(get("s2")).isEqualTo(s2);
    assertThat(get("s1").getSpec().getAnnotations().getName()).isEqualTo("a-changed");
  }

  @Test
  void duplicateIdsAndNamesAreRefused() {
    store.update(tx -> tx.create(service("s1", "web")));
    assertThatThrownBy(() -> store.update(tx -> tx.create(service("s1", "other"))))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo(StoreException.Code.EXISTS));
    assertThatThrownBy(() -> store.update(tx -> tx.create(service("s2", "web"))))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.code()).isEqualTo(StoreException.Code.NAME_CONFLICT));
    // Names are unique per kind only.
    store.update(tx -> tx.create(secret("x1", "web", "data")));
  }

  @Test
  void renameFreesTheOldNameWithinOneBatch() {
    store.update(tx -> tx.create(service("s1", "web")));
    Service s1 = get("s1");
    store.update(
        tx -> {
          tx.update(renamed(s1, "web-old"));
          tx.create(service("s2", "web"));
        });
    assertThat(named("web").map(Service::getId)).contains("s2");
    assertThat(named("web-old").map(Service::getId)).contains("s1");
  }

  @Test
  void deleteRemovesAndRefusesAStaleVersion() {
    store.update(tx -> tx.create(service("s1", "web")));
    store.update(tx -> tx.delete(ObjectKind.SERVICE, "s1"));
    assertThat(find("s1")).isEmpty();
    assertThat(named("web")).isEmpty();
    assertThatThrownBy(() -> store.update(tx -> tx.delete(ObjectKind.SERVICE, "s1")))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.code()).isEqualTo(StoreException.Code.NOT_FOUND));
  }

  @Test
  void aTransactionReadsItsOwnWrites() {
    store.update(tx -> tx.create(service("s1", "web")));
    store.update(
        tx -> {
          tx.create(service("s2", "api"));
          tx.delete(ObjectKind.SERVICE, "s1");
          assertThat(tx.list(ObjectKind.SERVICE)).extracting(Service::getId).containsExactly("s2");
          assertThat(tx.byName(ObjectKind.SERVICE, "api")).isPresent();
          assertThat(tx.byName(ObjectKind.SERVICE, "web")).isEmpty();
          tx.create(task("t1", "s2", "n1"));
          assertThat(tx.tasksOfService("s2")).extracting(Task::getId).containsExactly("t1");
        });
  }

  @Test
  void createThenUpdateInOneTransaction() {
    store.update(
        tx -> {
          tx.create(service("s1", "web"));
          Service pending = tx.get(ObjectKind.SERVICE, "s1").orElseThrow();
          tx.update(renamed(pending, "api"));
        });
    assertThat(get("s1").getSpec().getAnnotations().getName()).isEqualTo("api");
  }

  @Test
  void taskIndexesFollowUpdates() {
    store.update(
        tx -> {
          tx.create(task("t1", "svc", ""));
          tx.create(task("t2", "svc", "n1"));
        });
    assertThat(onNode("n1")).extracting(Task::getId).containsExactly("t2");
    Task t1 = store.view(tx -> tx.get(ObjectKind.TASK, "t1")).orElseThrow();
    store.update(tx -> tx.update(t1.toBuilder().setNodeId("n2").build()));
    assertThat(onNode("n2")).extracting(Task::getId).containsExactly("t1");
    List<Task> ofSvc = store.view(tx -> tx.tasksOfService("svc"));
    assertThat(ofSvc).hasSize(2);
    store.update(tx -> tx.delete(ObjectKind.TASK, "t2"));
    assertThat(onNode("n1")).isEmpty();
  }

  @Test
  void emptyWriteCommitsNothing() {
    store.update(tx -> tx.create(service("s1", "web")));
    long before = store.view(ReadTx::appliedIndex);
    CommitResult r = store.update(tx -> tx.get(ObjectKind.SERVICE, "s1"));
    assertThat(r.index()).isEqualTo(before);
    assertThat(r.written()).isEmpty();
  }

  @Test
  void watchesSeeEveryChangeInCommitOrder() throws Exception {
    Watch all = store.watch(e -> true);
    Watch tasksOnly = store.watch(e -> e.is(ObjectKind.TASK));
    ExecutorService writers = Executors.newFixedThreadPool(4);
    for (int w = 0; w < 4; w++) {
      int writer = w;
      writers.submit(
          () -> {
            for (int i = 0; i < 50; i++) {
              String id = "w" + writer + "-" + i;
              store.update(
                  tx -> {
                    tx.create(service(id, id));
                    tx.create(task("t-" + id, id, ""));
                  });
            }
          });
    }
    writers.shutdown();
    assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    List<StoreEvent> events = new ArrayList<>();
    StoreEvent e;
    while ((e = all.poll(Duration.ofMillis(200))) != null) {
      events.add(e);
    }
    assertThat(events).hasSize(400);
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).index()).isGreaterThanOrEqualTo(events.get(i - 1).index());
    }
    // Within a batch, the service comes before its task, as written.
    for (int i = 0; i < events.size(); i += 2) {
      assertThat(events.get(i).kind()).isEqualTo(ObjectKind.SERVICE);
      assertThat(events.get(i + 1).kind()).isEqualTo(ObjectKind.TASK);
      assertThat(events.get(i + 1).index()).isEqualTo(events.get(i).index());
    }
    int tasks = 0;
    while (tasksOnly.poll(Duration.ofMillis(50)) != null) {
      tasks++;
    }
    assertThat(tasks).isEqualTo(200);
  }

  @Test
  void updateEventsCarryThePreviousObject() throws Exception {
    store.update(tx -> tx.create(service("s1", "web")));
    Watch w = store.watch(e -> true);
    Service read = get("s1");
    store.update(tx -> tx.update(renamed(read, "api")));
    StoreEvent e = w.poll(Duration.ofSeconds(1));
    assertThat(e.type()).isEqualTo(StoreEvent.Type.UPDATE);
    assertThat(e.previous()).isEqualTo(read);
    assertThat(e.as(ObjectKind.SERVICE).orElseThrow().getSpec().getAnnotations().getName())
        .isEqualTo("api");
  }

  @Test
  void viewAndWatchLeavesNoGap() throws Exception {
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; i < 300; i++) {
                String id = "s" + i;
                store.update(tx -> tx.create(service(id, id)));
              }
            });
    writer.start();
    Thread.sleep(5);
    Store.Snapshot<List<Service>> snap =
        store.viewAndWatch(tx -> tx.list(ObjectKind.SERVICE), e -> e.is(ObjectKind.SERVICE));
    writer.join();
    int seen = snap.value().size();
    while (snap.watch().poll(Duration.ofMillis(100)) != null) {
      seen++;
    }
    assertThat(seen).isEqualTo(300);
  }

  @Test
  void aWatchThatFallsBehindIsClosedWithAReason() throws Exception {
    StoreReplica replica = new StoreReplica(10);
    Watch w = replica.watch(e -> true);
    for (int i = 0; i < 20; i++) {
      replica.apply(
          io.corral.api.StoreBatch.newBuilder()
              .addActions(
                  ObjectKind.SERVICE.action(
                      io.corral.api.StoreAction.Kind.CREATE, service("s" + i, "n" + i)))
              .build(),
          i + 1);
    }
    assertThat(w.isClosed()).isTrue();
    for (int i = 0; i < 10; i++) {
      assertThat(w.take()).isNotNull();
    }
    assertThatThrownBy(w::take)
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StoreException.Code.CLOSED);
              assertThat(e.getMessage()).contains("fell behind").contains("re-read");
            });
  }

  @Test
  void anEmptyIdIsInvalid() {
    assertThatThrownBy(() -> store.update(tx -> tx.create(service("", "web"))))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo(StoreException.Code.INVALID));
  }
}
