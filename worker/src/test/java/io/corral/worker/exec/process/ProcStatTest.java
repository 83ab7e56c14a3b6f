package io.corral.worker.exec.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatTest {

  @Test
  void fieldsAreCountedAfterTheLastParenthesisOfTheCommandName() {
    String line =
        "4242 (a) b (c)) S 1 4240 4240 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 "
            + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0";
    ProcStat s = ProcStat.parse(4242, line);
    assertThat(s.state()).isEqualTo('S');
    assertThat(s.pgrp()).isEqualTo(4240);
    assertThat(s.session()).isEqualTo(4240);
    assertThat(s.startTime()).isEqualTo(987654L);
    assertThat(s.alive()).isTrue();
  }

  @Test
  void thisProcessIsAliveAndAWrongStartTimeIsNot() {
    int pid = (int) ProcessHandle.current().pid();
    ProcStat self = ProcStat.read(pid).orElseThrow();
    assertThat(ProcStat.isAlive(pid, self.startTime())).isTrue();
    assertThat(ProcStat.isAlive(pid, self.startTime() + 1)).isFalse();
  }

  @Test
  void theEffectiveUidIsKnown() {
    assertThat(ProcStat.effectiveUid()).isGreaterThanOrEqualTo(0);
  }
}
