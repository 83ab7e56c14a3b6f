package io.corral.testcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvergeSequenceTest {

  /**
   * A system whose services reach the wanted replica count after a few polls; it can be told to get
   * stuck at some count (it never reaches it) or to refuse creating services.
   */
  private static final class FakeSystem implements ConvergeTarget {
    final List<String> calls = new ArrayList<>();
    final Map<String, Integer> wanted = new HashMap<>();
    final Map<String, Integer> pollsLeft = new HashMap<>();
    int stuckAt = -1;
    String refuseCreate;

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public void create(String service, int replicas) {
      calls.add("create " + service + " " + replicas);
      if (refuseCreate != null) {
        throw new TargetFailure(refuseCreate);
      }
      set(service, replicas);
    }

    @Override
    public void scale(String service, int replicas) {
      calls.add("scale " + service + " " + replicas);
      set(service, replicas);
    }

    @Override
    public void remove(String service) {
      calls.add("rm " + service);
      if (wanted.remove(service) == null) {
        throw new TargetFailure("no such service " + service);
      }
    }

    @Override
    public ReplicaCount observe(String service) {
      int n = wanted.get(service);
      int left = pollsLeft.merge(service, -1, Integer::sum);
      boolean there = left <= 0 && n != stuckAt;
      return there ? new ReplicaCount(n, n, 0) : new ReplicaCount(n, n / 2, 1);
    }

    @Override
    public boolean gone(String service) {
      return !wanted.containsKey(service);
    }

    private void set(String service, int replicas) {
      wanted.put(service, replicas);
      pollsLeft.put(service, 3);
    }
  }

  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  private ConvergeSequence sequence(FakeSystem system) {
    return new ConvergeSequence(
        system,
        Duration.ofMillis(1),
        new PrintStream(progress, true, StandardCharsets.UTF_8),
        replicas -> Duration.ofMillis(200));
  }

  @Test
  void eachRoundCreatesScalesUpAndDownAndRemovesRecordingEveryPhase() {
    FakeSystem system = new FakeSystem();

    ConvergeResults results = sequence(system).run(List.of(2, 5), 2);

    assertThat(system.calls)
        .startsWith(
            "create bench-n2-r1 2",
            "scale bench-n2-r1 4",
            "scale bench-n2-r1 2",
            "rm bench-n2-r1",
            "create bench-n2-r2 2")
        .hasSize(16)
        .contains("scale bench-n5-r2 10");
    for (int n : List.of(2, 5)) {
      for (Phase phase : Phase.values()) {
        PhaseTimes t = results.find(n, phase).orElseThrow();
        assertThat(t.successes()).as("N=%d %s", n, phase).isEqualTo(2);
        assertThat(t.timeouts()).isZero();
      }
    }
    assertThat(results.cliCalls().count())
        .isEqualTo(12); // create, scale, scale per round; rm is not timed
    assertThat(results.polls().count()).isGreaterThanOrEqualTo(3 * 12);
    assertThat(results.stoppedBecause()).isEmpty();
  }

  @Test
  void aStepThatDoesNotConvergeCountsAsTimeoutEndsItsRoundAndTheServiceIsStillRemoved() {
    FakeSystem system = new FakeSystem();
    system.stuckAt = 6; // scaling 3 -> 6 never gets there

    ConvergeResults results = sequence(system).run(List.of(3), 1);

    assertThat(system.calls)
        .containsExactly("create bench-n3-r1 3", "scale bench-n3-r1 6", "rm bench-n3-r1");
    assertThat(results.find(3, Phase.CREATE).orElseThrow().successes()).isEqualTo(1);
    assertThat(results.find(3, Phase.SCALE_UP).orElseThrow().timeouts()).isEqualTo(1);
    assertThat(results.find(3, Phase.SCALE_DOWN)).isEmpty();
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("did not reach 6 running")
        .contains("6 desired running, 3 running, 1 still stopping"); // as the stuck fake reports it
    assertThat(results.stoppedBecause()).isEmpty();
  }

  @Test
  void aRefusedCommandStopsTheSystemsRunWithTheReason() {
    FakeSystem system = new FakeSystem();
    system.refuseCreate = "corral service create failed (exit 2): Unmatched arguments";

    ConvergeResults results = sequence(system).run(List.of(10, 50), 3);

    assertThat(results.stoppedBecause())
        .contains("corral service create failed (exit 2): Unmatched arguments");
    assertThat(system.calls).containsExactly("create bench-n10-r1 10", "rm bench-n10-r1");
    assertThat(results.find(10, Phase.CREATE)).isEmpty();
  }
}
