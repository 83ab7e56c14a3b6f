package io.corral.testcluster.cluster;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Remembers whether a test of the class failed, so that its {@code @AfterAll} can take the cluster
 * down but keep the daemons' logs: {@code cluster.down(failures.any())}.
 */
final class FailureWatch implements TestWatcher {

  private volatile boolean failed;

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    failed = true;
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    // An aborted (assumption) test is not a failure worth keeping logs for.
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {}

  boolean any() {
    return failed;
  }
}
