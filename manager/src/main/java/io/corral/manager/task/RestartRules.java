package io.corral.manager.task;

import io.corral.api.RestartPolicy;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.Version;
import io.corral.common.ProtoTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Docker's restart policy as a pure decision: should an ended task be replaced, and after what
 * delay.
 */
public final class RestartRules {

  /** Delay before a restart when the policy gives none (Docker's default). */
  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(5);

  private RestartRules() {}

  /**
   * Why the ended task must not be replaced, or empty when it should be.
   *
   * @param failed whether it ended badly (an exit code 0 is not a failure; a lost node is)
   * @param current the spec version replacements would get: restarts under another version do not
   *     count
   */
  public static Optional<String> refusal(Task task, boolean failed, Version current, Instant now) {
    RestartPolicy policy = task.getSpec().getRestart();
    switch (policy.getCondition()) {
      case NONE:
        return Optional.of("restart condition is none");
      case ON_FAILURE:
        if (!failed) {
          return Optional.of("task completed and the restart condition is on-failure");
        }
        break;
      default:
        break;
    }
    long max = policy.getMaxAttempts();
    if (max > 0 && history(task, current).countWithin(window(policy), now) >= max) {
      return Optional.of(
          "restart limit reached: "
              + max
              + (max == 1 ? " attempt" : " attempts")
              + (window(policy).isZero() ? "" : " within " + window(policy)));
    }
    return Optional.empty();
  }

  /** The restarts that count for the task's slot under {@code current}. */
  public static RestartHistory history(Task task, Version current) {
    return task.getSpecVersion().getIndex() == current.getIndex()
        ? RestartHistory.of(task)
        : RestartHistory.EMPTY;
  }

  public static Duration delay(Task task) {
    RestartPolicy p = task.getSpec().getRestart();
    if (!p.hasDelay()) {
      return DEFAULT_DELAY;
    }
    Duration d = ProtoTime.duration(p.getDelay());
    return d.isNegative() ? Duration.ZERO : d;
  }

  static Duration window(RestartPolicy p) {
    if (!p.hasWindow()) {
      return Duration.ZERO;
    }
    Duration w = ProtoTime.duration(p.getWindow());
    return w.isNegative() ? Duration.ZERO : w;
  }

  /**
   * Whether the end counts as a failure for on-failure: anything but a clean exit on a live node.
   */
  public static boolean failed(Task task, boolean nodeLost) {
    return nodeLost || task.getStatus().getState() != TaskState.COMPLETE;
  }
}
