package io.corral.cli.service;

import io.corral.api.RestartPolicy;
import io.corral.api.ServiceSpec;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.GoDuration;
import io.corral.cli.format.NanoCpus;
import io.corral.cli.format.RamSize;
import io.corral.cli.format.ShellWords;
import io.corral.cli.spec.ServiceSpecBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The flags of {@code service create} that describe the service, parsed and handed to {@link
 * ServiceSpecBuilder}.
 */
public final class ServiceSpecFlags {

  @Option(names = "--name", paramLabel = "string", description = "Service name.")
  String name = "";

  @Option(
      names = "--mode",
      paramLabel = "string",
      description =
          "Service mode (\"replicated\", \"global\", \"replicated-job\", \"global-job\") (default \"replicated\").")
  String mode = "replicated";

  @Option(names = "--replicas", paramLabel = "uint", description = "Number of tasks.")
  String replicas;

  @Option(
      names = "--max-concurrent",
      paramLabel = "uint",
      description = "Number of job tasks to run concurrently (default equal to --replicas).")
  String maxConcurrent;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "list",
      description = "Set environment variables.")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-l", "--label"},
      paramLabel = "list",
      description = "Service labels.")
  List<String> labels = new ArrayList<>();

  @Option(names = "--container-label", paramLabel = "list", description = "Container labels.")
  List<String> containerLabels = new ArrayList<>();

  @Option(names = "--constraint", paramLabel = "list", description = "Placement constraints.")
  List<String> constraints = new ArrayList<>();

  @Option(
      names = "--placement-pref",
      paramLabel = "pref",
      description = "Add a placement preference (spread=ATTRIBUTE).")
  List<String> placementPrefs = new ArrayList<>();

  @Option(
      names = "--replicas-max-per-node",
      paramLabel = "uint",
      description = "Maximum number of tasks per node (default 0 = unlimited).")
  String maxReplicasPerNode;

  @Option(names = "--reserve-cpu", paramLabel = "decimal", description = "Reserve CPUs.")
  String reserveCpu;

  @Option(names = "--reserve-memory", paramLabel = "bytes", description = "Reserve Memory.")
  String reserveMemory;

  @Option(names = "--limit-cpu", paramLabel = "decimal", description = "Limit CPUs.")
  String limitCpu;

  @Option(names = "--limit-memory", paramLabel = "bytes", description = "Limit Memory.")
  String limitMemory;

  @Option(
      names = "--restart-condition",
      paramLabel = "string",
      description =
          "Restart when condition is met (\"none\", \"on-failure\", \"any\") (default \"any\").")
  String restartCondition;

  @Option(
      names = "--restart-delay",
      paramLabel = "duration",
      description = "Delay between restart attempts (ns|us|ms|s|m|h) (default 5s).")
  String restartDelay;

  @Option(
      names = "--restart-max-attempts",
      paramLabel = "uint",
      description = "Maximum number of restarts before giving up.")
  String restartMaxAttempts;

  @Option(
      names = "--restart-window",
      paramLabel = "duration",
      description = "Window used to evaluate the restart policy (ns|us|ms|s|m|h).")
  String restartWindow;

  @Option(
      names = "--stop-grace-period",
      paramLabel = "duration",
      description = "Time to wait before force killing a container (ns|us|ms|s|m|h) (default 10s).")
  String stopGracePeriod;

  @Option(
      names = "--entrypoint",
      paramLabel = "command",
      description = "Overwrite the default ENTRYPOINT of the image.")
  String entrypoint;

  @Option(
      names = {"-w", "--workdir"},
      paramLabel = "string",
      description = "Working directory inside the container.")
  String workdir = "";

  @Option(
      names = {"-u", "--user"},
      paramLabel = "string",
      description = "Username or UID (format: <name|uid>[:<group|gid>]).")
  String user = "";

  /**
   * The spec these flags describe, for {@code image} and its {@code args} (COMMAND ARG... of the
   * command line): the flags are parsed here, in docker's order, and {@link ServiceSpecBuilder}
   * applies docker's defaults and mode rules.
   *
   * @param environment looks up the CLI's environment for {@code -e NAME} without a value, as
   *     docker does
   * @throws CliFailure naming the flag and what was wrong with its value
   */
  public ServiceSpec toSpec(String image, List<String> args, Function<String, String> environment) {
    ServiceSpecBuilder spec =
        new ServiceSpecBuilder(image)
            .args(args)
            .env(env(environment))
            .containerLabels(keyValues("--container-label", containerLabels))
            .workdir(workdir)
            .user(user);
    if (entrypoint != null) {
      try {
        spec.entrypoint(ShellWords.split(entrypoint));
      } catch (IllegalArgumentException e) {
        throw invalid("--entrypoint", entrypoint, e.getMessage());
      }
    }
    if (stopGracePeriod != null) {
      spec.stopGracePeriod(GoDuration.parseFlag("--stop-grace-period", stopGracePeriod));
    }
    if (limitCpu != null) {
      spec.limitCpus(NanoCpus.parseFlag("--limit-cpu", limitCpu));
    }
    if (limitMemory != null) {
      spec.limitMemory(RamSize.parseFlag("--limit-memory", limitMemory));
    }
    if (reserveCpu != null) {
      spec.reserveCpus(NanoCpus.parseFlag("--reserve-cpu", reserveCpu));
    }
    if (reserveMemory != null) {
      spec.reserveMemory(RamSize.parseFlag("--reserve-memory", reserveMemory));
    }
    restartPolicy(spec);
    placement(spec);
    spec.name(name).labels(keyValues("--label", labels));
    if (replicas != null) {
      spec.replicas(unsigned("--replicas", replicas));
    }
    if (maxConcurrent != null) {
      spec.maxConcurrent(unsigned("--max-concurrent", maxConcurrent));
    }
    spec.mode(
        ServiceSpecBuilder.Mode.of(mode)
            .orElseThrow(
                () ->
                    new CliFailure(
                        "invalid argument \""
                            + mode
                            + "\" for \"--mode\" flag: unknown mode "
                            + mode
                            + ", use one of replicated, global, replicated-job, "
                            + "global-job")));
    return spec.build();
  }

  private void placement(ServiceSpecBuilder spec) {
    spec.constraints(constraints);
    for (String pref : placementPrefs) {
      int eq = pref.indexOf('=');
      if (eq <= 0) {
        throw invalid(
            "--placement-pref",
            pref,
            "placement preference must be of the format \"<strategy>=<arg>\"");
      }
      String strategy = pref.substring(0, eq);
      if (!strategy.equals("spread")) {
        throw invalid(
            "--placement-pref",
            pref,
            "unsupported placement preference " + strategy + " (only spread is supported)");
      }
      spec.spreadOver(pref.substring(eq + 1));
    }
    if (maxReplicasPerNode != null) {
      spec.maxReplicasPerNode(unsigned("--replicas-max-per-node", maxReplicasPerNode));
    }
  }

  private void restartPolicy(ServiceSpecBuilder spec) {
    if (restartCondition != null) {
      spec.restartCondition(
          switch (restartCondition) {
            case "none" -> RestartPolicy.RestartCondition.NONE;
            case "on-failure" -> RestartPolicy.RestartCondition.ON_FAILURE;
            case "any" -> RestartPolicy.RestartCondition.ANY;
            default ->
                throw invalid(
                    "--restart-condition",
                    restartCondition,
                    "must be one of \"none\", \"on-failure\", \"any\"");
          });
    }
    if (restartDelay != null) {
      spec.restartDelay(GoDuration.parseFlag("--restart-delay", restartDelay));
    }
    if (restartMaxAttempts != null) {
      spec.restartMaxAttempts(unsigned("--restart-max-attempts", restartMaxAttempts));
    }
    if (restartWindow != null) {
      spec.restartWindow(GoDuration.parseFlag("--restart-window", restartWindow));
    }
  }

  /**
   * {@code -e NAME=VALUE}, or {@code -e NAME} taking NAME's value from the CLI's environment when
   * it has one.
   */
  private List<String> env(Function<String, String> environment) {
    List<String> out = new ArrayList<>();
    for (String e : env) {
      int eq = e.indexOf('=');
      if (eq == 0) {
        throw invalid("--env", e, "invalid environment variable: " + e);
      }
      if (eq < 0) {
        String value = environment.apply(e);
        out.add(value == null ? e : e + "=" + value);
      } else {
        out.add(e);
      }
    }
    return out;
  }

  /** {@code k=v} or {@code k} (empty value), as docker's label options. */
  static Map<String, String> keyValues(String flag, List<String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      String key = (eq < 0 ? v : v.substring(0, eq)).strip();
      if (key.isEmpty()) {
        throw invalid(flag, v, "invalid label '" + v + "': empty name");
      }
      out.put(key, eq < 0 ? "" : v.substring(eq + 1));
    }
    return out;
  }

  /** A uint flag value, refused with strconv's words when negative or not a number. */
  static long unsigned(String flag, String text) {
    try {
      long v = Long.parseLong(text);
      if (v < 0 || text.startsWith("+")) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw invalid(flag, text, "strconv.ParseUint: parsing \"" + text + "\": invalid syntax");
    }
  }

  private static CliFailure invalid(String flag, String value, String why) {
    return new CliFailure("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why);
  }
}
