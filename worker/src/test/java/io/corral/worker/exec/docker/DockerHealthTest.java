package io.corral.worker.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.TaskStatus.Health;
import org.junit.jupiter.api.Test;

/** Docker's health words as a task's health. */
class DockerHealthTest {
  @Test
  void dockersWordsMapToTaskHealth() {
    assertThat(DockerBackend.healthOf("starting")).isEqualTo(Health.STARTING);
    assertThat(DockerBackend.healthOf("healthy")).isEqualTo(Health.HEALTHY);
    assertThat(DockerBackend.healthOf("unhealthy")).isEqualTo(Health.UNHEALTHY);
    assertThat(DockerBackend.healthOf(null)).isEqualTo(Health.NONE);
    assertThat(DockerBackend.healthOf("none")).isEqualTo(Health.NONE);
  }
}
