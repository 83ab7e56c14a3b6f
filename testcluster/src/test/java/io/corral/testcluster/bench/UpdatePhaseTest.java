package io.corral.testcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpdatePhaseTest {

  @Test
  void eachParallelismIsAnUpdateThenItsRollback() {
    assertThat(UpdatePhase.plan(List.of(1, 5)))
        .containsExactly(
            new UpdatePhase(UpdatePhase.Kind.UPDATE, 1),
            new UpdatePhase(UpdatePhase.Kind.ROLLBACK, 1),
            new UpdatePhase(UpdatePhase.Kind.UPDATE, 5),
            new UpdatePhase(UpdatePhase.Kind.ROLLBACK, 5));
  }

  @Test
  void anUpdateMovesToTheSecondImageAndARollbackBackToTheFirst() {
    assertThat(new UpdatePhase(UpdatePhase.Kind.UPDATE, 5).targetImage("v1", "v2")).isEqualTo("v2");
    assertThat(new UpdatePhase(UpdatePhase.Kind.ROLLBACK, 5).targetImage("v1", "v2"))
        .isEqualTo("v1");
    assertThat(new UpdatePhase(UpdatePhase.Kind.ROLLBACK, 5).title()).isEqualTo("rollback p=5");
  }

  @Test
  void theLimitGrowsWithTheBatchesAndTheMonitor() {
    assertThat(UpdateSequence.limit(20, 1, java.time.Duration.ofSeconds(5)))
        .isEqualTo(java.time.Duration.ofSeconds(60 + 20 * 10));
    assertThat(UpdateSequence.limit(20, 6, java.time.Duration.ofSeconds(5)))
        .isEqualTo(java.time.Duration.ofSeconds(60 + 4 * 10));
  }
}
