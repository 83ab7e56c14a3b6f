package io.corral.worker.network;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks tests that create network namespaces: skipped with the reason without root, always run
 * under CI (CI=true, which runs as root), so a CI without root fails loudly (as testcluster's).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsRoot.Condition.class)
@interface NeedsRoot {

  /** Enables the test as root or under CI. */
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if ("root".equals(System.getProperty("user.name")) || "true".equals(System.getenv("CI"))) {
        return ConditionEvaluationResult.enabled("root (or CI)");
      }
      return ConditionEvaluationResult.disabled(
          "needs root for ip netns; run the suite as root (CI does)");
    }
  }
}
