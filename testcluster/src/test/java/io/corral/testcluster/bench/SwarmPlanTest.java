package io.corral.testcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testcluster.bench.SwarmPlan.Action;
import io.corral.testcluster.bench.SwarmPlan.EngineFacts;
import org.junit.jupiter.api.Test;

class SwarmPlanTest {

  private static final String IMAGE = "corral-test/busybox:1";

  private static SwarmPlan decide(String state, boolean manager) {
    return SwarmPlan.decide(new EngineFacts("", true, state, manager), IMAGE);
  }

  @Test
  void anEngineInNoSwarmIsInitialised() {
    assertThat(decide("inactive", false).action()).isEqualTo(Action.INIT);
  }

  @Test
  void aSwarmManagerIsUsedAsItIs() {
    assertThat(decide("active", true).action()).isEqualTo(Action.USE);
  }

  @Test
  void aSwarmWorkerOrABrokenSwarmIsUnavailableWithTheReason() {
    assertThat(decide("active", false))
        .isEqualTo(
            SwarmPlan.unavailable(
                "the engine is a swarm worker; services can only be created on a manager"));
    SwarmPlan locked = decide("locked", false);
    assertThat(locked.action()).isEqualTo(Action.UNAVAILABLE);
    assertThat(locked.reason()).contains("'locked'");
  }

  @Test
  void noEngineOrNoImageIsUnavailableWithTheReason() {
    assertThat(
            SwarmPlan.decide(new EngineFacts("no Docker engine answers", false, "", false), IMAGE))
        .isEqualTo(SwarmPlan.unavailable("no Docker engine answers"));
    SwarmPlan noImage = SwarmPlan.decide(new EngineFacts("", false, "inactive", false), IMAGE);
    assertThat(noImage.action()).isEqualTo(Action.UNAVAILABLE);
    assertThat(noImage.reason()).contains(IMAGE).contains("bin/ci-docker-setup");
  }
}
