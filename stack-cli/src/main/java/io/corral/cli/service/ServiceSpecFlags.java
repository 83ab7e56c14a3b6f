package io.corral.cli.service;

import io.corral.api.ContainerSpec;
import io.corral.api.GlobalJob;
import io.corral.api.GlobalService;
import io.corral.api.Placement;
import io.corral.api.PlacementPreference;
import io.corral.api.ReplicatedJob;
import io.corral.api.ReplicatedService;
import io.corral.api.Resources;
import io.corral.api.RestartPolicy;
import io.corral.api.ServiceSpec;
import io.corral.api.SpreadOver;
import io.corral.api.TaskSpec;
import io.corral.api.UpdateConfig;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.GoDuration;
import io.corral.cli.format.NanoCpus;
import io.corral.cli.format.RamSize;
import io.corral.cli.format.ShellWords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** The flags of {@code service create} that describe the service, and their translation into a ServiceSpec. */
public final class ServiceSpecFlags {

  @Option(names = "--name", paramLabel = "string", description = "Service name.")
  String name = "";

  @Option(names = "--mode", paramLabel = "string",
      description = "Service mode (\"replicated\", \"global\", \"replicated-job\", \"global-job\") (default \"replicated\").")
  String mode = "replicated";

  @Option(names = "--replicas", paramLabel = "uint", description = "Number of tasks.")
  String replicas;

  @Option(names = "--max-concurrent", paramLabel = "uint",
      description = "Number of job tasks to run concurrently (default equal to --replicas).")
  String maxConcurrent;

  @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables.")
  List<String> env = new ArrayList<>();

  @Option(names = {"-l", "--label"}, paramLabel = "list", description = "Service labels.")
  List<String> labels = new ArrayList<>();

  @Option(names = "--container-label", paramLabel = "list", description = "Container labels.")
  List<String> containerLabels = new ArrayList<>();

  @Option(names = "--constraint", paramLabel = "list", description = "Placement constraints.")
  List<String> constraints = new ArrayList<>();

  @Option(names = "--placement-pref", paramLabel = "pref", description = "Add a placement preference (spread=ATTRIBUTE).")
  List<String> placementPrefs = new ArrayList<>();

  @Option(names = "--replicas-max-per-node", paramLabel = "uint",
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

  @Option(names = "--restart-condition", paramLabel = "string",
      description = "Restart when condition is met (\"none\", \"on-failure\", \"any\") (default \"any\").")
  String restartCondition;

  @Option(names = "--restart-delay", paramLabel = "duration", description = "Delay between restart attempts (ns|us|ms|s|m|h) (default 5s).")
  String restartDelay;

  @Option(names = "--restart-max-attempts", paramLabel = "uint", description = "Maximum number of restarts before giving up.")
  String restartMaxAttempts;

  @Option(names = "--restart-window", paramLabel = "duration", description = "Window used to evaluate the restart policy (ns|us|ms|s|m|h).")
  String restartWindow;

  @Option(names = "--stop-grace-period", paramLabel = "duration",
      description = "Time to wait before force killing a container (ns|us|ms|s|m|h) (default 10s).")
  String stopGracePeriod;

  @Option(names = "--entrypoint", paramLabel = "command", description = "Overwrite the default ENTRYPOINT of the image.")
  String entrypoint;

  @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container.")
  String workdir = "";

  @Option(names = {"-u", "--user"}, paramLabel = "string", description = "Username or UID (format: <name|uid>[:<group|gid>]).")
  String user = "";

  /**
   * The spec these flags describe, for {@code image} and its {@code args} (COMMAND ARG... of the command line).
   *
   * @param environment looks up the CLI's environment for {@code -e NAME} without a value, as docker does
   * @throws CliFailure naming the flag and what was wrong with its value
   */
  public ServiceSpec toSpec(String image, List<String> args, Function<String, String> environment) {
    ContainerSpec.Builder container = ContainerSpec.newBuilder()
        .setImage(image)
        .addAllArgs(args)
        .addAllEnv(env(environment))
        .putAllLabels(keyValues("--container-label", containerLabels))
        .setDir(workdir)
        .setUser(user);
    if (entrypoint != null) {
      try {
        container.addAllCommand(ShellWords.split(entrypoint));
      } catch (IllegalArgumentException e) {
        throw invalid("--entrypoint", entrypoint, e.getMessage());
      }
    }
    if (stopGracePeriod != null) {
      container.setStopGracePeriod(GoDuration.toProto(GoDuration.parseFlag("--stop-grace-period", stopGracePeriod)));
    }
    TaskSpec.Builder task = TaskSpec.newBuilder().setContainer(container);
    Resources limits = resources("--limit-cpu", limitCpu, "--limit-memory", limitMemory);
    Resources reservations = resources("--reserve-cpu", reserveCpu, "--reserve-memory", reserveMemory);
    if (limits != null) {
      task.getResourcesBuilder().setLimits(limits);
    }
    if (reservations != null) {
      task.getResourcesBuilder().setReservations(reservations);
    }
    RestartPolicy restart = restartPolicy();
    if (restart != null) {
      task.setRestart(restart);
    }
    task.setPlacement(placement());

    ServiceSpec.Builder spec = ServiceSpec.newBuilder().setTask(task);
    spec.getAnnotationsBuilder().setName(name).putAllLabels(keyValues("--label", labels));
    setMode(spec);
    if (isJob() && restart == null) {
      // Jobs run to completion: restarting a task that completed would run it again, so docker's daemon makes
      // their default restart condition on-failure.
      task.setRestart(RestartPolicy.newBuilder().setCondition(RestartPolicy.RestartCondition.ON_FAILURE));
      spec.setTask(task);
    }
    // Docker's CLI always sends its update/rollback defaults, parallelism 1 (the API's 0 means all at once).
    spec.setUpdate(UpdateConfig.newBuilder().setParallelism(1));
    spec.setRollback(UpdateConfig.newBuilder().setParallelism(1));
    return spec.build();
  }

  private boolean isJob() {
    return mode.equals("replicated-job") || mode.equals("global-job");
  }

  /** Docker's ToServiceMode, with its messages. */
  private void setMode(ServiceSpec.Builder spec) {
    Long count = replicas == null ? null : unsigned("--replicas", replicas);
    Long concurrent = maxConcurrent == null ? null : unsigned("--max-concurrent", maxConcurrent);
    boolean maxPerNode = maxReplicasPerNode != null && unsigned("--replicas-max-per-node", maxReplicasPerNode) > 0;
    switch (mode) {
      case "replicated" -> {
        requireNoConcurrency(concurrent);
        spec.setReplicated(ReplicatedService.newBuilder().setReplicas(count == null ? 1 : count));
      }
      case "global" -> {
        requireNoReplicas(count);
        requireNoMaxPerNode(maxPerNode);
        requireNoConcurrency(concurrent);
        spec.setGlobal(GlobalService.getDefaultInstance());
      }
      case "replicated-job" -> {
        long total = count != null ? count : concurrent != null ? concurrent : 1;
        spec.setReplicatedJob(ReplicatedJob.newBuilder()
            .setMaxConcurrent(concurrent != null ? concurrent : total)
            .setTotalCompletions(total));
      }
      case "global-job" -> {
        requireNoMaxPerNode(maxPerNode);
        requireNoConcurrency(concurrent);
        requireNoReplicas(count);
        spec.setGlobalJob(GlobalJob.getDefaultInstance());
      }
      default -> throw new CliFailure("invalid argument \"" + mode + "\" for \"--mode\" flag: unknown mode "
          + mode + ", use one of replicated, global, replicated-job, global-job");
    }
  }

  private static void requireNoReplicas(Long count) {
    if (count != null) {
      throw new CliFailure("replicas can only be used with replicated or replicated-job mode");
    }
  }

  private static void requireNoMaxPerNode(boolean maxPerNode) {
    if (maxPerNode) {
      throw new CliFailure("replicas-max-per-node can only be used with replicated or replicated-job mode");
    }
  }

  private static void requireNoConcurrency(Long concurrent) {
    if (concurrent != null) {
      throw new CliFailure("max-concurrent can only be used with replicated-job mode");
    }
  }

  private Placement placement() {
    Placement.Builder p = Placement.newBuilder().addAllConstraints(constraints);
    for (String pref : placementPrefs) {
      int eq = pref.indexOf('=');
      if (eq <= 0) {
        throw invalid("--placement-pref", pref, "placement preference must be of the format \"<strategy>=<arg>\"");
      }
      String strategy = pref.substring(0, eq);
      if (!strategy.equals("spread")) {
        throw invalid("--placement-pref", pref, "unsupported placement preference " + strategy
            + " (only spread is supported)");
      }
      p.addPreferences(PlacementPreference.newBuilder()
          .setSpread(SpreadOver.newBuilder().setSpreadDescriptor(pref.substring(eq + 1))));
    }
    if (maxReplicasPerNode != null) {
      p.setMaxReplicas(unsigned("--replicas-max-per-node", maxReplicasPerNode));
    }
    return p.build();
  }

  /** Docker sends a restart policy only when one of its flags was given; unset fields keep the defaults. */
  private RestartPolicy restartPolicy() {
    if (restartCondition == null && restartDelay == null && restartMaxAttempts == null && restartWindow == null) {
      return null;
    }
    RestartPolicy.Builder r = RestartPolicy.newBuilder();
    if (restartCondition != null) {
      r.setCondition(switch (restartCondition) {
        case "none" -> RestartPolicy.RestartCondition.NONE;
        case "on-failure" -> RestartPolicy.RestartCondition.ON_FAILURE;
        case "any" -> RestartPolicy.RestartCondition.ANY;
        default -> throw invalid("--restart-condition", restartCondition,
            "must be one of \"none\", \"on-failure\", \"any\"");
      });
    }
    if (restartDelay != null) {
      r.setDelay(GoDuration.toProto(GoDuration.parseFlag("--restart-delay", restartDelay)));
    }
    if (restartMaxAttempts != null) {
      r.setMaxAttempts(unsigned("--restart-max-attempts", restartMaxAttempts));
    }
    if (restartWindow != null) {
      r.setWindow(GoDuration.toProto(GoDuration.parseFlag("--restart-window", restartWindow)));
    }
    return r.build();
  }

  private static Resources resources(String cpuFlag, String cpu, String memoryFlag, String memory) {
    if (cpu == null && memory == null) {
      return null;
    }
    Resources.Builder r = Resources.newBuilder();
    if (cpu != null) {
      r.setNanoCpus(NanoCpus.parseFlag(cpuFlag, cpu));
    }
    if (memory != null) {
      r.setMemoryBytes(RamSize.parseFlag(memoryFlag, memory));
    }
    return r.build();
  }

  /** {@code -e NAME=VALUE}, or {@code -e NAME} taking NAME's value from the CLI's environment when it has one. */
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
