package io.corral.cli.service;

import io.corral.api.ContainerSpec;
import io.corral.api.HealthConfig;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.GoDuration;
import io.corral.common.ProtoTime;
import picocli.CommandLine.Option;

/**
 * The {@code --health-*} and {@code --no-healthcheck} flags of {@code service create} and {@code
 * service update}, applied as docker's updateHealthcheck does.
 */
public final class HealthFlags {

  @Option(
      names = "--health-cmd",
      paramLabel = "string",
      description = "Command to run to check health.")
  String cmd;

  @Option(
      names = "--health-interval",
      paramLabel = "duration",
      description = "Time between running the check (ms|s|m|h).")
  String interval;

  @Option(
      names = "--health-timeout",
      paramLabel = "duration",
      description = "Maximum time to allow one check to run (ms|s|m|h).")
  String timeout;

  @Option(
      names = "--health-retries",
      paramLabel = "int",
      description = "Consecutive failures needed to report unhealthy.")
  String retries;

  @Option(
      names = "--health-start-period",
      paramLabel = "duration",
      description =
          "Start period for the container to initialize before counting retries towards unstable (ms|s|m|h).")
  String startPeriod;

  @Option(names = "--no-healthcheck", description = "Disable any container-specified HEALTHCHECK.")
  boolean none;

  private boolean anyHealthFlag() {
    return cmd != null
        || interval != null
        || timeout != null
        || retries != null
        || startPeriod != null;
  }

  /**
   * Changes {@code c}'s health check by the flags given (none given: unchanged).
   *
   * @throws CliFailure when {@code --no-healthcheck} comes with a {@code --health-*} flag, or a
   *     value is wrong
   */
  void applyTo(ContainerSpec.Builder c) {
    if (!none && !anyHealthFlag()) {
      return;
    }
    if (none) {
      if (anyHealthFlag()) {
        throw new CliFailure("--no-healthcheck conflicts with --health-* options");
      }
      c.setHealthcheck(HealthConfig.newBuilder().addTest("NONE"));
      return;
    }
    HealthConfig.Builder h = c.getHealthcheckBuilder();
    if (h.getTestCount() > 0 && h.getTest(0).equals("NONE")) {
      // A new check replaces a disabled one.
      h.clearTest();
    }
    if (interval != null) {
      h.setInterval(ProtoTime.protoDuration(GoDuration.parseFlag("--health-interval", interval)));
    }
    if (timeout != null) {
      h.setTimeout(ProtoTime.protoDuration(GoDuration.parseFlag("--health-timeout", timeout)));
    }
    if (startPeriod != null) {
      h.setStartPeriod(
          ProtoTime.protoDuration(GoDuration.parseFlag("--health-start-period", startPeriod)));
    }
    if (retries != null) {
      try {
        int n = Integer.parseInt(retries);
        if (n < 0) {
          throw new CliFailure(
              "invalid argument \"" + retries + "\" for \"--health-retries\" flag: must be >= 0");
        }
        h.setRetries(n);
      } catch (NumberFormatException e) {
        throw new CliFailure(
            "invalid argument \""
                + retries
                + "\" for \"--health-retries\" flag: strconv.ParseInt: parsing \""
                + retries
                + "\": invalid syntax");
      }
    }
    if (cmd != null) {
      h.clearTest();
      if (!cmd.isEmpty()) {
        h.addTest("CMD-SHELL").addTest(cmd);
      }
    }
  }
}
