package io.corral.cli.service;

import io.corral.cli.CliContext;
import io.corral.cli.format.GoDuration;
import io.corral.cli.service.progress.ConvergeWatcher;
import io.corral.cli.service.progress.ProgressDisplay;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The flags and the wait shared by commands that follow a service until it converges (create,
 * scale).
 */
final class ServiceProgress {

  @Option(
      names = {"-d", "--detach"},
      description = "Exit immediately instead of waiting for the service to converge.")
  boolean detach;

  @Option(
      names = "--converge-timeout",
      paramLabel = "duration",
      defaultValue = "2m",
      description =
          "Give up waiting when no more tasks have reached their goal for this long (default ${DEFAULT-VALUE}).")
  String patience;

  /** Validates the flag early, before anything is changed. */
  Duration patience() {
    Duration d = GoDuration.parseFlag("--converge-timeout", patience);
    if (d.isZero()) {
      throw new io.corral.cli.format.CliFailure(
          "invalid argument \""
              + patience
              + "\" for \"--converge-timeout\" flag: must be positive");
    }
    return d;
  }

  /**
   * Docker's waitOnService: shows progress on {@code out} (nothing if quiet) until the service
   * converges.
   */
  void await(CliContext ctx, String serviceId, boolean quiet, PrintWriter out)
      throws InterruptedException {
    ProgressDisplay display = new ProgressDisplay(out, ctx.terminal());
    new ConvergeWatcher(ctx, patience()).await(serviceId, quiet ? line -> {} : display::show);
  }
}
