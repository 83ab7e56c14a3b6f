package io.corral.cli.spec;

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
import io.corral.common.ProtoTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Docker's client-side defaults and mode rules for a service spec, from values already parsed:
 * {@code service create}'s flags and the compose converter both describe a service through this
 * builder, so a service means the same whichever way it was written. A value left unset is left to
 * the manager's defaults.
 */
public final class ServiceSpecBuilder {

  /** Docker's service modes, by the words of {@code --mode} and compose's {@code deploy.mode}. */
  public enum Mode {
    REPLICATED("replicated"),
    GLOBAL("global"),
    REPLICATED_JOB("replicated-job"),
    GLOBAL_JOB("global-job");

    private final String word;

    Mode(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    /** The mode a word names, if any. */
    public static Optional<Mode> of(String word) {
      for (Mode m : values()) {
        if (m.word.equals(word)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }

    boolean isJob() {
      return this == REPLICATED_JOB || this == GLOBAL_JOB;
    }
  }

  private final String image;
  private String name = "";
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final List<String> args = new ArrayList<>();
  private List<String> command;
  private final List<String> env = new ArrayList<>();
  private final Map<String, String> containerLabels = new LinkedHashMap<>();
  private String workdir = "";
  private String user = "";
  private Duration stopGracePeriod;
  private Mode mode = Mode.REPLICATED;
  private Long replicas;
  private Long maxConcurrent;
  private Long maxReplicasPerNode;
  private final List<String> constraints = new ArrayList<>();
  private final List<String> spreadDescriptors = new ArrayList<>();
  private Long limitNanoCpus;
  private Long limitMemoryBytes;
  private Long reserveNanoCpus;
  private Long reserveMemoryBytes;
  private RestartPolicy.RestartCondition restartCondition;
  private Duration restartDelay;
  private Long restartMaxAttempts;
  private Duration restartWindow;

  /** A service running {@code image}. */
  public ServiceSpecBuilder(String image) {
    this.image = image;
  }

  public ServiceSpecBuilder name(String name) {
    this.name = name;
    return this;
  }

  public ServiceSpecBuilder labels(Map<String, String> labels) {
    this.labels.putAll(labels);
    return this;
  }

  /** Arguments after the image's entrypoint (docker's COMMAND ARG...). */
  public ServiceSpecBuilder args(List<String> args) {
    this.args.addAll(args);
    return this;
  }

  /** Replaces the image's entrypoint. */
  public ServiceSpecBuilder entrypoint(List<String> command) {
    this.command = List.copyOf(command);
    return this;
  }

  /**
   * Environment as {@code NAME=VALUE} (or a bare {@code NAME}), already looked up where docker
   * does.
   */
  public ServiceSpecBuilder env(List<String> env) {
    this.env.addAll(env);
    return this;
  }

  public ServiceSpecBuilder containerLabels(Map<String, String> labels) {
    this.containerLabels.putAll(labels);
    return this;
  }

  public ServiceSpecBuilder workdir(String workdir) {
    this.workdir = workdir;
    return this;
  }

  public ServiceSpecBuilder user(String user) {
    this.user = user;
    return this;
  }

  public ServiceSpecBuilder stopGracePeriod(Duration period) {
    this.stopGracePeriod = period;
    return this;
  }

  public ServiceSpecBuilder mode(Mode mode) {
    this.mode = mode;
    return this;
  }

  /** Tasks of a replicated service, or completions of a replicated job. */
  public ServiceSpecBuilder replicas(long replicas) {
    this.replicas = replicas;
    return this;
  }

  /** Job tasks run at once (replicated jobs only). */
  public ServiceSpecBuilder maxConcurrent(long maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
    return this;
  }

  /** At most this many tasks per node (0: unlimited). */
  public ServiceSpecBuilder maxReplicasPerNode(long max) {
    this.maxReplicasPerNode = max;
    return this;
  }

  /**
   * Placement constraints in docker's language ({@code node.role==worker}); checked by the manager.
   */
  public ServiceSpecBuilder constraints(List<String> constraints) {
    this.constraints.addAll(constraints);
    return this;
  }

  /**
   * A placement preference: spread the tasks over the values of {@code descriptor} ({@code
   * node.labels.zone}).
   */
  public ServiceSpecBuilder spreadOver(String descriptor) {
    this.spreadDescriptors.add(descriptor);
    return this;
  }

  public ServiceSpecBuilder limitCpus(long nanoCpus) {
    this.limitNanoCpus = nanoCpus;
    return this;
  }

  public ServiceSpecBuilder limitMemory(long bytes) {
    this.limitMemoryBytes = bytes;
    return this;
  }

  public ServiceSpecBuilder reserveCpus(long nanoCpus) {
    this.reserveNanoCpus = nanoCpus;
    return this;
  }

  public ServiceSpecBuilder reserveMemory(long bytes) {
    this.reserveMemoryBytes = bytes;
    return this;
  }

  public ServiceSpecBuilder restartCondition(RestartPolicy.RestartCondition condition) {
    this.restartCondition = condition;
    return this;
  }

  public ServiceSpecBuilder restartDelay(Duration delay) {
    this.restartDelay = delay;
    return this;
  }

  public ServiceSpecBuilder restartMaxAttempts(long attempts) {
    this.restartMaxAttempts = attempts;
    return this;
  }

  public ServiceSpecBuilder restartWindow(Duration window) {
    this.restartWindow = window;
    return this;
  }

  /**
   * The spec, with docker's client defaults: one replica, a job's restart condition on-failure,
   * update and rollback parallelism 1.
   *
   * @throws CliFailure with docker's words when the mode and the replica options contradict each
   *     other
   */
  public ServiceSpec build() {
    ContainerSpec.Builder container =
        ContainerSpec.newBuilder()
            .setImage(image)
            .addAllArgs(args)
            .addAllEnv(env)
            .putAllLabels(containerLabels)
            .setDir(workdir)
            .setUser(user);
    if (command != null) {
      container.addAllCommand(command);
    }
    if (stopGracePeriod != null) {
      container.setStopGracePeriod(ProtoTime.protoDuration(stopGracePeriod));
    }
    TaskSpec.Builder task = TaskSpec.newBuilder().setContainer(container);
    resources(limitNanoCpus, limitMemoryBytes)
        .ifPresent(r -> task.getResourcesBuilder().setLimits(r));
    resources(reserveNanoCpus, reserveMemoryBytes)
        .ifPresent(r -> task.getResourcesBuilder().setReservations(r));
    Optional<RestartPolicy> restart = restartPolicy();
    if (restart.isPresent()) {
      task.setRestart(restart.get());
    } else if (mode.isJob()) {
      // Jobs run to completion: restarting a task that completed would run it again, so docker's
      // daemon makes
      // their default restart condition on-failure.
      task.setRestart(
          RestartPolicy.newBuilder().setCondition(RestartPolicy.RestartCondition.ON_FAILURE));
    }
    task.setPlacement(placement());

    ServiceSpec.Builder spec = ServiceSpec.newBuilder().setTask(task);
    spec.getAnnotationsBuilder().setName(name).putAllLabels(labels);
    setMode(spec);
    // Docker's CLI always sends its update/rollback defaults, parallelism 1 (the API's 0 means all
    // at once).
    spec.setUpdate(UpdateConfig.newBuilder().setParallelism(1));
    spec.setRollback(UpdateConfig.newBuilder().setParallelism(1));
    return spec.build();
  }

  /** Docker's ToServiceMode, with its messages. */
  private void setMode(ServiceSpec.Builder spec) {
    boolean maxPerNode = maxReplicasPerNode != null && maxReplicasPerNode > 0;
    switch (mode) {
      case REPLICATED -> {
        requireNoConcurrency();
        spec.setReplicated(
            ReplicatedService.newBuilder().setReplicas(replicas == null ? 1 : replicas));
      }
      case GLOBAL -> {
        requireNoReplicas();
        requireNoMaxPerNode(maxPerNode);
        requireNoConcurrency();
        spec.setGlobal(GlobalService.getDefaultInstance());
      }
      case REPLICATED_JOB -> {
        long total = replicas != null ? replicas : maxConcurrent != null ? maxConcurrent : 1;
        spec.setReplicatedJob(
            ReplicatedJob.newBuilder()
                .setMaxConcurrent(maxConcurrent != null ? maxConcurrent : total)
                .setTotalCompletions(total));
      }
      case GLOBAL_JOB -> {
        requireNoMaxPerNode(maxPerNode);
        requireNoConcurrency();
        requireNoReplicas();
        spec.setGlobalJob(GlobalJob.getDefaultInstance());
      }
      default -> throw new IllegalStateException("unknown mode " + mode);
    }
  }

  private void requireNoReplicas() {
    if (replicas != null) {
      throw new CliFailure("replicas can only be used with replicated or replicated-job mode");
    }
  }

  private static void requireNoMaxPerNode(boolean maxPerNode) {
    if (maxPerNode) {
      throw new CliFailure(
          "replicas-max-per-node can only be used with replicated or replicated-job mode");
    }
  }

  private void requireNoConcurrency() {
    if (maxConcurrent != null) {
      throw new CliFailure("max-concurrent can only be used with replicated-job mode");
    }
  }

  private Placement placement() {
    Placement.Builder p = Placement.newBuilder().addAllConstraints(constraints);
    for (String descriptor : spreadDescriptors) {
      p.addPreferences(
          PlacementPreference.newBuilder()
              .setSpread(SpreadOver.newBuilder().setSpreadDescriptor(descriptor)));
    }
    if (maxReplicasPerNode != null) {
      p.setMaxReplicas(maxReplicasPerNode);
    }
    return p.build();
  }

  /**
   * Docker sends a restart policy only when one of its fields was given; unset fields keep the
   * defaults.
   */
  private Optional<RestartPolicy> restartPolicy() {
    if (restartCondition == null
        && restartDelay == null
        && restartMaxAttempts == null
        && restartWindow == null) {
      return Optional.empty();
    }
    RestartPolicy.Builder r = RestartPolicy.newBuilder();
    if (restartCondition != null) {
      r.setCondition(restartCondition);
    }
    if (restartDelay != null) {
      r.setDelay(ProtoTime.protoDuration(restartDelay));
    }
    if (restartMaxAttempts != null) {
      r.setMaxAttempts(restartMaxAttempts);
    }
    if (restartWindow != null) {
      r.setWindow(ProtoTime.protoDuration(restartWindow));
    }
    return Optional.of(r.build());
  }

  private static Optional<Resources> resources(Long nanoCpus, Long memoryBytes) {
    if (nanoCpus == null && memoryBytes == null) {
      return Optional.empty();
    }
    Resources.Builder r = Resources.newBuilder();
    if (nanoCpus != null) {
      r.setNanoCpus(nanoCpus);
    }
    if (memoryBytes != null) {
      r.setMemoryBytes(memoryBytes);
    }
    return Optional.of(r.build());
  }
}
