package io.corral.testcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkTableTest {

  @Test
  void saysWhatFailsInsteadOfLeavingItOut() {
    NetFigures corral = new NetFigures("corral");
    corral.requests(NetFigures.Kind.VIP).add(List.of(1_000_000L, 2_000_000L), 0, 0.5);
    corral.inDns.delay.add(Duration.ofMillis(12));
    corral.inDns.delay.add(Duration.ofMillis(30));
    NetFigures swarm = new NetFigures("docker swarm");
    swarm.requests(NetFigures.Kind.VIP).add(List.of(), 30, 30);
    swarm.viaVip.timedOut = 1;
    String t = NetworkTable.render(List.of(corral, swarm));
    assertThat(t).startsWith("| figure | corral | docker swarm |\n|---|---|---|\n");
    assertThat(t)
        .contains(
            "| HTTP by VIP: p50 / p99, requests/s | 1.000 / 2.000 ms, 4/s | fails (0 of 30 answered) |");
    assertThat(t).contains("| 21 / 30 ms | not measured |");
    assertThat(t).contains("| not measured | fails (never seen by 1 of 1 watchers) |");
  }

  @Test
  void readsTheProbesLines() {
    NetworkBench.ProbeResult r =
        NetworkBench.ProbeResult.parse("lat 10 20 30\nfail 2\nseconds 0.5\nresponders 10.0.1.5\n");
    assertThat(r.latencies()).containsExactly(10L, 20L, 30L);
    assertThat(r.failed()).isEqualTo(2);
    assertThat(r.seconds()).isEqualTo(0.5);
    assertThat(NetworkBench.ProbeResult.parse("lat\nfail 30\n").latencies()).isEmpty();
  }
}
