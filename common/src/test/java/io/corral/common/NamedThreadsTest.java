package io.corral.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class NamedThreadsTest {

  @Test
  void daemonThreadsCarryTheirName() {
    Thread t = NamedThreads.daemon("dispatcher").newThread(() -> {});
    assertThat(t.getName()).isEqualTo("dispatcher");
    assertThat(t.isDaemon()).isTrue();
    assertThat(t.getState()).isEqualTo(Thread.State.NEW);
  }

  @Test
  void numberedThreadsCountFromOne() {
    ThreadFactory f = NamedThreads.numbered("docker-wait");
    assertThat(f.newThread(() -> {}).getName()).isEqualTo("docker-wait-1");
    Thread second = f.newThread(() -> {});
    assertThat(second.getName()).isEqualTo("docker-wait-2");
    assertThat(second.isDaemon()).isTrue();
    assertThat(NamedThreads.numbered("other").newThread(() -> {}).getName()).isEqualTo("other-1");
  }
}
