package io.corral.cli.service.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.UpdateStatus;
import io.corral.api.UpdateStatus.UpdateState;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpdateProgressTest {

  static UpdateStatus status(UpdateState state, String message) {
    return UpdateStatus.newBuilder().setState(state).setMessage(message).build();
  }

  @Test
  void aCanaryStageHoldsTheWaitUntilPromoted() {
    assertThat(
            UpdateProgress.verdict(
                status(UpdateState.CANARY, "canary: 2 of 6 slots updated; promote or roll back")))
        .isEqualTo(
            new UpdateProgress.Verdict(
                Optional.empty(),
                false,
                Optional.of("2 of 6 slots updated; promote or roll back")));
    assertThat(UpdateProgress.verdict(status(UpdateState.CANARY, "")).held())
        .contains("canaries updated; promote or roll back");
    assertThat(
            UpdateProgress.verdict(
                    status(UpdateState.CANARY, "x").toBuilder().setCanaryPromoted(true).build())
                .held())
        .isEmpty();
  }

  @Test
  void pausesFailAndRollbacksAreSaid() {
    assertThat(UpdateProgress.verdict(status(UpdateState.PAUSED, "why")).failure())
        .contains("service update paused: why");
    assertThat(UpdateProgress.verdict(status(UpdateState.ROLLBACK_PAUSED, "why")))
        .isEqualTo(new UpdateProgress.Verdict(Optional.of("service rollback paused: why"), true));
    assertThat(UpdateProgress.verdict(status(UpdateState.UPDATING, "")))
        .isEqualTo(new UpdateProgress.Verdict(Optional.empty(), false));
  }
}
