package io.corral.testcluster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks tests that create network namespaces: they need root. A developer without root sees them
 * skipped with the reason; under CI (CI=true), which runs as root, they always run, so a CI without
 * root fails loudly.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsRoot.Condition.class)
public @interface NeedsRoot {

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
