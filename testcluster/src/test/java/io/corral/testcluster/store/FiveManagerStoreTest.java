package io.corral.testcluster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.manager.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Five store members as separate processes: any two may die, including the leader. */
class FiveManagerStoreTest {

  private static final Duration READY = Duration.ofSeconds(60);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void survivesTwoMembersDownIncludingTheLeader() throws Exception {
    try (StoreCluster cluster = StoreCluster.create(dir, 5)) {
      cluster.startAll();
      for (String id : cluster.ids()) {
        cluster.awaitReady(id, READY);
      }
      Writer writer = new Writer();
      for (int i = 0; i < 50; i++) {
        writer.write(cluster.client(), "x-" + i);
      }
      String leader =
          await().atMost(READY).until(cluster::leader, l -> l.isPresent()).orElseThrow();
      String other =
          cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      cluster.kill(leader);
      cluster.kill(other);

      for (int i = 0; i < 50; i++) {
        writer.write(cluster.client(), "y-" + i);
      }
      List<String> survivors = new ArrayList<>(cluster.ids());
      survivors.remove(leader);
      survivors.remove(other);
      for (String id : survivors) {
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StoreException.class)
            .untilAsserted(
                () ->
                    assertThat(Writer.configIds(cluster.client().dump(id)))
                        .isEqualTo(writer.acknowledged()));
      }

      cluster.start(leader);
      cluster.start(other);
      cluster.awaitReady(leader, READY);
      cluster.awaitReady(other, READY);
      for (String id : List.of(leader, other)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StoreException.class)
            .untilAsserted(
                () ->
                    assertThat(Writer.configIds(cluster.client().dump(id)))
                        .isEqualTo(writer.acknowledged()));
      }
    }
  }
}
