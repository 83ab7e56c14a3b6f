package io.corral.testcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateBenchTest {

  @Test
  void theMonitorIsAWholeNumberOfMillisecondsSecondsOrMinutes() {
    assertThat(UpdateBench.parseMonitor("5s")).contains(Duration.ofSeconds(5));
    assertThat(UpdateBench.parseMonitor("500ms")).contains(Duration.ofMillis(500));
    assertThat(UpdateBench.parseMonitor("1m")).contains(Duration.ofMinutes(1));
    assertThat(UpdateBench.parseMonitor("5")).isEmpty();
    assertThat(UpdateBench.parseMonitor("1.5s")).isEmpty();
  }

  @Test
  void bothSystemsGetTheSameUpdateAndRollbackFlags() {
    assertThat(UpdateTarget.goDuration(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(UpdateTarget.goDuration(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(UpdateCorralTarget.updateFlags(5, Duration.ofSeconds(5)))
        .containsExactly(
            "--update-parallelism",
            "5",
            "--update-delay",
            "0s",
            "--update-monitor",
            "5s",
            "--rollback-parallelism",
            "5",
            "--rollback-monitor",
            "5s");
  }

  @Test
  void writesBothProcessImagesWithTheSameEntrypoint(@TempDir Path data) throws Exception {
    UpdateBench.writeProcessImages(data);
    Optional<String> v1 =
        Optional.of(Files.readString(data.resolve("images/sleeper/1/image.properties")));
    String v2 = Files.readString(data.resolve("images/sleeper/2/image.properties"));
    assertThat(v1).contains(v2);
    assertThat(
            io.corral.worker.exec.process.ImageManifest.load(data.resolve("images/sleeper/2"))
                .entrypoint())
        .isEqualTo(List.of("/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"));
  }
}
