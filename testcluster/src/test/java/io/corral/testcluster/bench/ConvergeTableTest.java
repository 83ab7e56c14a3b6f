package io.corral.testcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConvergeTableTest {

  private static final long MS = 1_000_000;

  private static List<String> cells(String table, String n) {
    String row = table.lines().filter(l -> l.strip().startsWith(n + " ")).findFirst().orElseThrow();
    return Arrays.stream(row.split("\\|"))
        .skip(1)
        .flatMap(group -> Arrays.stream(group.strip().split("\\s{2,}")))
        .toList();
  }

  @Test
  void printsMediansOfBothSystemsAndTheirRatioPerSizeAndPhase() {
    ConvergeResults corral = new ConvergeResults("corral");
    ConvergeResults docker = new ConvergeResults("docker");
    for (long ms : new long[] {3000, 1000, 2000}) {
      corral.at(10, Phase.CREATE).add(ms * MS);
    }
    docker.at(10, Phase.CREATE).add(4000 * MS);
    corral.at(10, Phase.SCALE_UP).add(1500 * MS);
    docker.at(10, Phase.SCALE_UP).add(500 * MS);
    corral.at(10, Phase.SCALE_DOWN).add(250 * MS);
    docker.at(10, Phase.SCALE_DOWN).add(1000 * MS);

    String table = ConvergeTable.render(List.of(10), corral, Optional.of(docker));

    assertThat(table)
        .contains("create -> running")
        .contains("scale N -> 2N")
        .contains("scale 2N -> N");
    assertThat(cells(table, "10"))
        .containsExactly(
            "2.00 s", "4.00 s", "0.50x", "1.50 s", "0.50 s", "3.00x", "0.25 s", "1.00 s", "0.25x");
    assertThat(table).doesNotContain("*");
  }

  @Test
  void withoutDockerItsColumnsAndTheRatioAreDashes() {
    ConvergeResults corral = new ConvergeResults("corral");
    corral.at(50, Phase.CREATE).add(1234 * MS);

    String table = ConvergeTable.render(List.of(50, 100), corral, Optional.empty());

    assertThat(cells(table, "50"))
        .containsExactly("1.23 s", "-", "-", "-", "-", "-", "-", "-", "-");
    assertThat(cells(table, "100")).containsOnly("-").hasSize(9);
  }

  @Test
  void timeoutsAreMarked() {
    ConvergeResults corral = new ConvergeResults("corral");
    ConvergeResults docker = new ConvergeResults("docker");
    corral.at(10, Phase.CREATE).add(1000 * MS);
    corral.at(10, Phase.CREATE).timedOut();
    docker.at(10, Phase.CREATE).add(1000 * MS);
    corral.at(10, Phase.SCALE_UP).timedOut();
    docker.at(10, Phase.SCALE_UP).add(1000 * MS);

    String table = ConvergeTable.render(List.of(10), corral, Optional.of(docker));

    assertThat(cells(table, "10"))
        .containsExactly("1.00 s*", "1.00 s", "1.00x", "timeout", "1.00 s", "-", "-", "-", "-");
    assertThat(table).contains("* some rounds did not converge within the limit");
  }
}
