package io.corral.manager.controlapi;

import com.google.protobuf.Duration;
import io.corral.api.ContainerSpec;
import io.corral.api.EndpointSpec;
import io.corral.api.HealthConfig;
import io.corral.api.Mount;
import io.corral.api.Placement;
import io.corral.api.PlacementPreference;
import io.corral.api.PortConfig;
import io.corral.api.ReplicatedService;
import io.corral.api.ResourceRequirements;
import io.corral.api.Resources;
import io.corral.api.RestartPolicy;
import io.corral.api.ServiceSpec;
import io.corral.api.TaskSpec;
import io.corral.api.UpdateConfig;
import io.corral.common.ProtoTime;
import io.corral.manager.placement.PlacementConstraints;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a service spec before the Control API stores it, with docker's rules (swarmkit's
 * controlapi validation plus what the docker CLI checks). Pure: each refusal is an INVALID_ARGUMENT
 * whose message starts with the field at fault ({@code spec.task_template.placement.constraints[0]:
 * ...}) and says what to do.
 */
final class ServiceSpecValidator {

  /**
   * Most replicas (or job completions) of one service: every replica is a task object in the
   * replicated store, so a larger count is a typo (or a negative number sent unsigned), not a
   * workload.
   */
  static final long MAX_REPLICAS = 100_000;

  /** Docker's minimum non-zero CPU amount (0.001 CPU) and memory amount (4 MiB). */
  static final long MIN_NANO_CPUS = 1_000_000;

  static final long MIN_MEMORY_BYTES = 4L * 1024 * 1024;

  /**
   * swarmkit's service name rule: a DNS label that may also hold '_' inside (stacks name
   * "stack_service").
   */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](?:[-_]*[a-zA-Z0-9]+)*");

  private static final int MAX_NAME_LENGTH = 63;

  /** Docker's image reference grammar: [domain/]path[:tag][@digest], the path lower-case. */
  private static final String DOMAIN_PART = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";

  private static final String PATH_PART = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern IMAGE =
      Pattern.compile(
          "(?:"
              + DOMAIN_PART
              + "(?:\\."
              + DOMAIN_PART
              + ")*"
              + "(?::[0-9]+)?/)?"
              + PATH_PART
              + "(?:/"
              + PATH_PART
              + ")*(?::[\\w][\\w.-]{0,127})?"
              + "(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?");
  private static final Pattern SPREAD = Pattern.compile("(?:node|engine)\\.labels\\..+");

  private ServiceSpecValidator() {}

  /**
   * The spec as it will be stored (an unset mode becomes replicated with one replica, as the proto
   * says), or an INVALID_ARGUMENT naming the first field that is wrong.
   */
  static ServiceSpec validate(ServiceSpec spec) {
    ServiceSpec filled =
        spec.getModeCase() == ServiceSpec.ModeCase.MODE_NOT_SET
            ? spec.toBuilder().setReplicated(ReplicatedService.newBuilder().setReplicas(1)).build()
            : spec;
    checkName(filled.getAnnotations().getName());
    checkMode(filled);
    checkTask(filled);
    checkUpdateConfig("spec.update_config", filled.getUpdate());
    checkUpdateConfig("spec.rollback_config", filled.getRollback());
    checkEndpoint(filled.getEndpoint());
    return filled;
  }

  private static void checkName(String name) {
    if (name.isEmpty()) {
      throw invalid("spec.name", "a service needs a name; give one with --name");
    }
    if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
      throw invalid(
          "spec.name",
          "invalid name \""
              + name
              + "\": use at most "
              + MAX_NAME_LENGTH
              + " letters, digits, '-' and '_', starting and ending with a letter or digit (it is a DNS name)");
    }
  }

  private static void checkMode(ServiceSpec spec) {
    switch (spec.getModeCase()) {
      case REPLICATED ->
          checkCount("spec.mode.replicated.replicas", spec.getReplicated().getReplicas());
      case REPLICATED_JOB -> {
        checkCount(
            "spec.mode.replicated_job.max_concurrent", spec.getReplicatedJob().getMaxConcurrent());
        checkCount(
            "spec.mode.replicated_job.total_completions",
            spec.getReplicatedJob().getTotalCompletions());
      }
      case GLOBAL, GLOBAL_JOB -> {
        if (spec.getTask().getPlacement().getMaxReplicas() > 0) {
          throw invalid(
              "spec.task_template.placement.max_replicas",
              "replicas-max-per-node can only be used "
                  + "with replicated or replicated-job mode; a global service runs one task per node already");
        }
      }
      case MODE_NOT_SET ->
          throw new IllegalStateException("mode is filled in before it is checked");
    }
  }

  /** Counts arrive unsigned: a negative number from a client shows up as a huge one. */
  private static void checkCount(String field, long value) {
    if (Long.compareUnsigned(value, MAX_REPLICAS) > 0) {
      String shown =
          value < 0
              ? Long.toString(value) + " (" + Long.toUnsignedString(value) + " unsigned)"
              : Long.toString(value);
      throw invalid(field, "must be between 0 and " + MAX_REPLICAS + ", got " + shown);
    }
  }

  private static void checkTask(ServiceSpec spec) {
    TaskSpec task = spec.getTask();
    if (!task.hasContainer()) {
      throw invalid(
          "spec.task_template.container_spec",
          "missing: a service needs a container spec with an image");
    }
    checkContainer(task.getContainer());
    checkResources(task.getResources());
    checkRestart(task.getRestart());
    checkPlacement(task.getPlacement());
  }

  private static void checkContainer(ContainerSpec c) {
    String field = "spec.task_template.container_spec";
    if (c.getImage().isEmpty()) {
      throw invalid(field + ".image", "image reference must be provided");
    }
    if (!IMAGE.matcher(c.getImage()).matches()) {
      throw invalid(
          field + ".image",
          "\""
              + c.getImage()
              + "\" is not a valid image reference: use NAME[:TAG] "
              + "with a lower-case name, e.g. app:1 or registry.example:5000/team/app:1");
    }
    checkNotNegative(field + ".stop_grace_period", c.getStopGracePeriod());
    Set<String> targets = new HashSet<>();
    for (int i = 0; i < c.getMountsCount(); i++) {
      Mount m = c.getMounts(i);
      String mf = field + ".mounts[" + i + "]";
      if (m.getTarget().isEmpty()) {
        throw invalid(mf + ".target", "a mount needs a target path inside the task");
      }
      if (m.getType() == Mount.Type.BIND && m.getSource().isEmpty()) {
        throw invalid(mf + ".source", "a bind mount needs a source path on the host");
      }
      if (!targets.add(m.getTarget())) {
        throw invalid(mf + ".target", "duplicate mount point: " + m.getTarget());
      }
    }
    if (c.hasHealthcheck()) {
      HealthConfig h = c.getHealthcheck();
      String hf = field + ".healthcheck";
      checkNotNegative(hf + ".interval", h.getInterval());
      checkNotNegative(hf + ".timeout", h.getTimeout());
      checkNotNegative(hf + ".start_period", h.getStartPeriod());
      checkNotNegative(hf + ".start_interval", h.getStartInterval());
      if (h.getRetries() < 0) {
        throw invalid(hf + ".retries", "must not be negative, got " + h.getRetries());
      }
    }
  }

  private static void checkResources(ResourceRequirements r) {
    String field = "spec.task_template.resources";
    checkAmounts(field + ".limits", r.getLimits());
    checkAmounts(field + ".reservations", r.getReservations());
    long cpuLimit = r.getLimits().getNanoCpus();
    long cpuReserved = r.getReservations().getNanoCpus();
    if (cpuLimit > 0 && cpuReserved > cpuLimit) {
      throw invalid(
          field + ".reservations.nano_cpus",
          "reservation "
              + cpus(cpuReserved)
              + " CPU is more than the limit "
              + cpus(cpuLimit)
              + " CPU; lower --reserve-cpu or raise --limit-cpu");
    }
    long memLimit = r.getLimits().getMemoryBytes();
    long memReserved = r.getReservations().getMemoryBytes();
    if (memLimit > 0 && memReserved > memLimit) {
      throw invalid(
          field + ".reservations.memory_bytes",
          "reservation "
              + memReserved
              + " bytes is more than the limit "
              + memLimit
              + " bytes; lower --reserve-memory or raise --limit-memory");
    }
  }

  private static void checkAmounts(String field, Resources r) {
    if (r.getNanoCpus() < 0 || (r.getNanoCpus() > 0 && r.getNanoCpus() < MIN_NANO_CPUS)) {
      throw invalid(
          field + ".nano_cpus",
          "invalid cpu value "
              + cpus(r.getNanoCpus())
              + ": must be 0 (none) or at "
              + "least "
              + cpus(MIN_NANO_CPUS));
    }
    if (r.getMemoryBytes() < 0
        || (r.getMemoryBytes() > 0 && r.getMemoryBytes() < MIN_MEMORY_BYTES)) {
      throw invalid(
          field + ".memory_bytes",
          "invalid memory value "
              + r.getMemoryBytes()
              + ": must be 0 (none) "
              + "or at least 4MiB");
    }
  }

  private static void checkRestart(RestartPolicy p) {
    String field = "spec.task_template.restart_policy";
    if (p.getCondition() == RestartPolicy.RestartCondition.UNRECOGNIZED) {
      throw invalid(field + ".condition", "unknown restart condition; use none, on-failure or any");
    }
    checkNotNegative(field + ".delay", p.getDelay());
    checkNotNegative(field + ".window", p.getWindow());
  }

  private static void checkPlacement(Placement p) {
    String field = "spec.task_template.placement";
    for (int i = 0; i < p.getConstraintsCount(); i++) {
      Optional<String> problem = PlacementConstraints.problem(p.getConstraints(i));
      if (problem.isPresent()) {
        throw invalid(field + ".constraints[" + i + "]", problem.get());
      }
    }
    for (int i = 0; i < p.getPreferencesCount(); i++) {
      PlacementPreference pref = p.getPreferences(i);
      String pf = field + ".preferences[" + i + "]";
      if (!pref.hasSpread()) {
        throw invalid(pf, "empty placement preference; use spread=node.labels.NAME");
      }
      String descriptor = pref.getSpread().getSpreadDescriptor();
      if (!SPREAD.matcher(descriptor).matches()) {
        throw invalid(
            pf + ".spread",
            "cannot spread over \""
                + descriptor
                + "\"; use node.labels.NAME or engine.labels.NAME");
      }
    }
  }

  private static void checkUpdateConfig(String field, UpdateConfig u) {
    if (u.getFailureAction() == UpdateConfig.FailureAction.UNRECOGNIZED) {
      throw invalid(
          field + ".failure_action", "unknown failure action; use pause, continue or rollback");
    }
    if (u.getOrder() == UpdateConfig.UpdateOrder.UNRECOGNIZED) {
      throw invalid(field + ".order", "unknown update order; use stop-first or start-first");
    }
    checkNotNegative(field + ".delay", u.getDelay());
    checkNotNegative(field + ".monitor", u.getMonitor());
    checkNotNegative(field + ".canary_auto", u.getCanaryAuto());
    if (u.hasCanaryAuto()
        && u.getCanary() == 0
        && !ProtoTime.duration(u.getCanaryAuto()).isZero()) {
      throw invalid(
          field + ".canary_auto", "needs a canary stage; set canary to the number of canary slots");
    }
    float ratio = u.getMaxFailureRatio();
    if (!(ratio >= 0 && ratio <= 1)) {
      throw invalid(field + ".max_failure_ratio", "must be between 0 and 1, got " + ratio);
    }
  }

  private static void checkEndpoint(EndpointSpec e) {
    String field = "spec.endpoint_spec";
    if (e.getMode() == EndpointSpec.ResolutionMode.UNRECOGNIZED) {
      throw invalid(field + ".mode", "unknown endpoint mode; use vip or dnsrr");
    }
    Set<String> published = new HashSet<>();
    for (int i = 0; i < e.getPortsCount(); i++) {
      PortConfig port = e.getPorts(i);
      String pf = field + ".ports[" + i + "]";
      if (port.getProtocol() == PortConfig.Protocol.UNRECOGNIZED
          || port.getPublishMode() == PortConfig.PublishMode.UNRECOGNIZED) {
        throw invalid(
            pf, "unknown protocol or publish mode; use tcp, udp or sctp and ingress or host");
      }
      if (port.getTargetPort() < 1 || port.getTargetPort() > 65535) {
        throw invalid(
            pf + ".target_port",
            "must be a port number from 1 to 65535, got " + port.getTargetPort());
      }
      if (port.getPublishedPort() > 65535) {
        throw invalid(
            pf + ".published_port",
            "must be a port number up to 65535 (0 = pick one), got " + port.getPublishedPort());
      }
      if (e.getMode() == EndpointSpec.ResolutionMode.DNSRR
          && port.getPublishMode() == PortConfig.PublishMode.INGRESS) {
        throw invalid(
            pf,
            "port published with ingress mode can't be used with dnsrr mode; publish it with "
                + "mode=host or use --endpoint-mode vip");
      }
      if (port.getPublishedPort() != 0
          && !published.add(
              port.getPublishedPort() + "/" + port.getProtocol() + "/" + port.getPublishMode())) {
        throw invalid(
            pf + ".published_port",
            "duplicate published port "
                + port.getPublishedPort()
                + "/"
                + port.getProtocol().name().toLowerCase()
                + "; publish each port once");
      }
    }
  }

  private static void checkNotNegative(String field, Duration d) {
    if (d.getSeconds() < 0 || d.getNanos() < 0) {
      throw invalid(field, "must not be negative, got " + seconds(d));
    }
  }

  static StatusRuntimeException invalid(String field, String message) {
    return Status.INVALID_ARGUMENT.withDescription(field + ": " + message).asRuntimeException();
  }

  private static String seconds(Duration d) {
    return BigDecimal.valueOf(d.getSeconds())
            .add(BigDecimal.valueOf(d.getNanos(), 9))
            .stripTrailingZeros()
            .toPlainString()
        + "s";
  }

  private static String cpus(long nanoCpus) {
    return BigDecimal.valueOf(nanoCpus, 9).stripTrailingZeros().toPlainString();
  }
}
