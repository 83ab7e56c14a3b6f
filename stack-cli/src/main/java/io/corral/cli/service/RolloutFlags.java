package io.corral.cli.service;

import io.corral.api.ServiceSpec;
import io.corral.api.UpdateConfig;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.GoDuration;
import io.corral.common.ProtoTime;
import picocli.CommandLine.Option;

/**
 * The {@code --update-*} and {@code --rollback-*} flags of {@code service create} and {@code
 * service update}: each given flag sets its field, the others leave the spec as it is.
 */
public final class RolloutFlags {

  @Option(
      names = "--update-parallelism",
      paramLabel = "uint",
      description = "Maximum number of tasks updated simultaneously (0 to update all at once).")
  String updateParallelism;

  @Option(
      names = "--update-delay",
      paramLabel = "duration",
      description = "Delay between updates (ns|us|ms|s|m|h) (default 0s).")
  String updateDelay;

  @Option(
      names = "--update-order",
      paramLabel = "string",
      description = "Update order (\"start-first\", \"stop-first\").")
  String updateOrder;

  @Option(
      names = "--update-monitor",
      paramLabel = "duration",
      description = "Duration after each task update to monitor for failure (ns|us|ms|s|m|h).")
  String updateMonitor;

  @Option(
      names = "--update-failure-action",
      paramLabel = "string",
      description = "Action on update failure (\"pause\", \"continue\", \"rollback\").")
  String updateFailureAction;

  @Option(
      names = "--update-max-failure-ratio",
      paramLabel = "float",
      description = "Failure rate to tolerate during an update.")
  String updateMaxFailureRatio;

  @Option(
      names = "--update-canary",
      paramLabel = "uint",
      description =
          "Tasks updated first; the update then waits for \"corral service promote\" (0 for no canary).")
  String updateCanary;

  @Option(
      names = "--update-canary-auto",
      paramLabel = "duration",
      description =
          "Promote the canaries once they have run (healthy) this long, roll back if one fails (ns|us|ms|s|m|h) (0s to promote by hand).")
  String updateCanaryAuto;

  @Option(
      names = "--rollback-parallelism",
      paramLabel = "uint",
      description =
          "Maximum number of tasks rolled back simultaneously (0 to roll back all at once).")
  String rollbackParallelism;

  @Option(
      names = "--rollback-delay",
      paramLabel = "duration",
      description = "Delay between task rollbacks (ns|us|ms|s|m|h) (default 0s).")
  String rollbackDelay;

  @Option(
      names = "--rollback-order",
      paramLabel = "string",
      description = "Rollback order (\"start-first\", \"stop-first\").")
  String rollbackOrder;

  @Option(
      names = "--rollback-monitor",
      paramLabel = "duration",
      description = "Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h).")
  String rollbackMonitor;

  @Option(
      names = "--rollback-failure-action",
      paramLabel = "string",
      description = "Action on rollback failure (\"pause\", \"continue\").")
  String rollbackFailureAction;

  @Option(
      names = "--rollback-max-failure-ratio",
      paramLabel = "float",
      description = "Failure rate to tolerate during a rollback.")
  String rollbackMaxFailureRatio;

  /** Whether any of these flags was given. */
  boolean any() {
    return updateParallelism != null
        || updateDelay != null
        || updateOrder != null
        || updateMonitor != null
        || updateFailureAction != null
        || updateMaxFailureRatio != null
        || updateCanary != null
        || updateCanaryAuto != null
        || rollbackParallelism != null
        || rollbackDelay != null
        || rollbackOrder != null
        || rollbackMonitor != null
        || rollbackFailureAction != null
        || rollbackMaxFailureRatio != null;
  }

  /**
   * Sets the given fields of {@code spec}'s update and rollback configs.
   *
   * @throws CliFailure naming the flag whose value is wrong
   */
  void applyTo(ServiceSpec.Builder spec) {
    apply(
        "update",
        spec,
        new Values(
            updateParallelism,
            updateDelay,
            updateOrder,
            updateMonitor,
            updateFailureAction,
            updateMaxFailureRatio));
    canary(spec);
    apply(
        "rollback",
        spec,
        new Values(
            rollbackParallelism,
            rollbackDelay,
            rollbackOrder,
            rollbackMonitor,
            rollbackFailureAction,
            rollbackMaxFailureRatio));
  }

  /** The canary flags, beyond docker's: only updates have canaries, rollbacks never wait. */
  private void canary(ServiceSpec.Builder spec) {
    if (updateCanary != null) {
      spec.getUpdateBuilder().setCanary(ServiceSpecFlags.unsigned("--update-canary", updateCanary));
    }
    if (updateCanaryAuto != null) {
      java.time.Duration d = GoDuration.parseFlag("--update-canary-auto", updateCanaryAuto);
      if (d.isZero()) {
        // Unset: the canaries wait for a promotion by hand.
        spec.getUpdateBuilder().clearCanaryAuto();
      } else {
        spec.getUpdateBuilder().setCanaryAuto(ProtoTime.protoDuration(d));
        if (spec.getUpdate().getCanary() == 0) {
          throw new CliFailure(
              "--update-canary-auto "
                  + updateCanaryAuto
                  + " has no effect without canaries: add --update-canary N (N > 0)");
        }
      }
    }
  }

  /** The six values of one config, as given (null: not given). */
  private record Values(
      String parallelism,
      String delay,
      String order,
      String monitor,
      String failureAction,
      String maxFailureRatio) {

    /** Whether any of the six was given. */
    boolean any() {
      return parallelism != null
          || delay != null
          || order != null
          || monitor != null
          || failureAction != null
          || maxFailureRatio != null;
    }
  }

  /**
   * As docker's updateService: a config is touched (and so created) only when one of its flags is
   * given.
   */
  private static void apply(String prefix, ServiceSpec.Builder spec, Values v) {
    if (!v.any()) {
      return;
    }
    UpdateConfig.Builder u =
        prefix.equals("update") ? spec.getUpdateBuilder() : spec.getRollbackBuilder();
    String flag = "--" + prefix + "-";
    if (v.parallelism() != null) {
      u.setParallelism(ServiceSpecFlags.unsigned(flag + "parallelism", v.parallelism()));
    }
    if (v.delay() != null) {
      u.setDelay(ProtoTime.protoDuration(GoDuration.parseFlag(flag + "delay", v.delay())));
    }
    if (v.monitor() != null) {
      u.setMonitor(ProtoTime.protoDuration(GoDuration.parseFlag(flag + "monitor", v.monitor())));
    }
    if (v.order() != null) {
      u.setOrder(
          switch (v.order()) {
            case "stop-first" -> UpdateConfig.UpdateOrder.STOP_FIRST;
            case "start-first" -> UpdateConfig.UpdateOrder.START_FIRST;
            default ->
                throw invalid(
                    flag + "order", v.order(), "must be \"start-first\" or \"stop-first\"");
          });
    }
    if (v.failureAction() != null) {
      boolean update = prefix.equals("update");
      u.setFailureAction(
          switch (v.failureAction()) {
            case "pause" -> UpdateConfig.FailureAction.PAUSE;
            case "continue" -> UpdateConfig.FailureAction.CONTINUE;
            case "rollback" -> {
              if (!update) {
                throw invalid(
                    flag + "failure-action",
                    v.failureAction(),
                    "must be \"pause\" or \"continue\"");
              }
              yield UpdateConfig.FailureAction.ROLLBACK;
            }
            default ->
                throw invalid(
                    flag + "failure-action",
                    v.failureAction(),
                    update
                        ? "must be \"pause\", \"continue\" or \"rollback\""
                        : "must be \"pause\" or \"continue\"");
          });
    }
    if (v.maxFailureRatio() != null) {
      u.setMaxFailureRatio(ratio(flag + "max-failure-ratio", v.maxFailureRatio()));
    }
  }

  private static float ratio(String flag, String text) {
    float r;
    try {
      r = Float.parseFloat(text);
    } catch (NumberFormatException e) {
      throw invalid(flag, text, "strconv.ParseFloat: parsing \"" + text + "\": invalid syntax");
    }
    if (!(r >= 0 && r <= 1)) {
      throw invalid(flag, text, "must be between 0 and 1");
    }
    return r;
  }

  private static CliFailure invalid(String flag, String value, String why) {
    return new CliFailure("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why);
  }
}
