package io.corral.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void shutDown() {
    pool.shutdownNow();
  }

  @Test
  void runsJobsOneAtATimeInSubmissionOrder() {
    SerialExecutor serial = new SerialExecutor(pool);
    List<Integer> order = new CopyOnWriteArrayList<>();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    for (int i = 0; i < 200; i++) {
      int n = i;
      serial.execute(
          () -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            order.add(n);
            Thread.yield();
            concurrent.decrementAndGet();
          });
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> order.size() == 200);
    assertThat(order).isSorted();
    assertThat(maxConcurrent.get()).isEqualTo(1);
  }

  @Test
  void aFailingJobDoesNotStopTheOnesBehindIt() {
    SerialExecutor serial = new SerialExecutor(pool);
    List<String> ran = new CopyOnWriteArrayList<>();
    serial.execute(
        () -> {
          throw new IllegalStateException("expected by the test");
        });
    serial.execute(() -> ran.add("next"));
    await().atMost(Duration.ofSeconds(30)).until(() -> ran.contains("next"));
  }
}
