package io.corral.testcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpdateTableTest {

  private static final long MS = 1_000_000;
  private static final UpdatePhase UPDATE_1 = new UpdatePhase(UpdatePhase.Kind.UPDATE, 1);
  private static final UpdatePhase ROLLBACK_1 = new UpdatePhase(UpdatePhase.Kind.ROLLBACK, 1);

  private static List<String> cells(String table, String phase) {
    String row = table.lines().filter(l -> l.startsWith(phase + " ")).findFirst().orElseThrow();
    return Arrays.stream(row.split("\\|")).map(String::strip).toList();
  }

  @Test
  void printsEachExecutorSwarmAndTheSpeedUpPerPhase() {
    UpdateResults process = new UpdateResults("corral (process executor)");
    UpdateResults docker = new UpdateResults("corral (docker executor)");
    UpdateResults swarm = new UpdateResults("docker swarm");
    process.at(UPDATE_1).add(5000 * MS);
    docker.at(UPDATE_1).add(10000 * MS);
    swarm.at(UPDATE_1).add(35000 * MS);
    for (long ms : new long[] {3000, 1000, 2000}) {
      process.at(ROLLBACK_1).add(ms * MS);
    }
    docker.at(ROLLBACK_1).timedOut();
    swarm.at(ROLLBACK_1).add(42000 * MS);

    String table =
        UpdateTable.render(
            List.of(UPDATE_1, ROLLBACK_1), List.of(process, docker), Optional.of(swarm));

    assertThat(cells(table, "phase"))
        .containsExactly(
            "phase",
            "corral (process executor)",
            "corral (docker executor)",
            "docker swarm",
            "speed-up process",
            "speed-up docker");
    assertThat(cells(table, "update p=1"))
        .containsExactly("update p=1", "5.00 s", "10.00 s", "35.00 s", "7.00x", "3.50x");
    assertThat(cells(table, "rollback p=1"))
        .containsExactly("rollback p=1", "2.00 s", "timeout", "42.00 s", "21.00x", "-");
  }

  @Test
  void withoutSwarmItsCellsAndTheSpeedUpAreDashes() {
    UpdateResults process = new UpdateResults("corral (process executor)");
    process.at(UPDATE_1).add(1234 * MS);

    String table =
        UpdateTable.render(List.of(UPDATE_1, ROLLBACK_1), List.of(process), Optional.empty());

    assertThat(cells(table, "update p=1")).containsExactly("update p=1", "1.23 s", "-", "-");
    assertThat(cells(table, "rollback p=1")).containsExactly("rollback p=1", "-", "-", "-");
  }

  @Test
  void partialRoundsAreMarked() {
    UpdateResults process = new UpdateResults("corral (process executor)");
    process.at(UPDATE_1).add(1000 * MS);
    process.at(UPDATE_1).timedOut();

    String table = UpdateTable.render(List.of(UPDATE_1), List.of(process), Optional.empty());

    assertThat(cells(table, "update p=1")).containsExactly("update p=1", "1.00 s*", "-", "-");
    assertThat(table).contains("* some rounds did not finish within the limit");
  }
}
