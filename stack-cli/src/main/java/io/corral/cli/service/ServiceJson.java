package io.corral.cli.service;

import io.corral.api.ContainerSpec;
import io.corral.api.Endpoint;
import io.corral.api.EndpointSpec;
import io.corral.api.HealthConfig;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.Placement;
import io.corral.api.PlacementPreference;
import io.corral.api.PortConfig;
import io.corral.api.ResourceRequirements;
import io.corral.api.Resources;
import io.corral.api.RestartPolicy;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.TaskSpec;
import io.corral.api.UpdateConfig;
import io.corral.api.UpdateStatus;
import io.corral.cli.format.GoTime;
import io.corral.common.ProtoTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A service in the shape of docker's {@code swarm.Service} JSON (field order and {@code omitempty}
 * rules as in the Engine API; durations in nanoseconds), for {@code service inspect}.
 */
final class ServiceJson {

  private ServiceJson() {}

  static Map<String, Object> of(Service s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ID", s.getId());
    Map<String, Object> version = new LinkedHashMap<>();
    putIf(version, "Index", s.getMeta().getVersion(), s.getMeta().getVersion() != 0);
    m.put("Version", version);
    m.put("CreatedAt", GoTime.rfc3339Nano(s.getMeta().getCreatedAt()));
    m.put("UpdatedAt", GoTime.rfc3339Nano(s.getMeta().getUpdatedAt()));
    m.put("Spec", spec(s.getSpec()));
    if (s.hasPreviousSpec()) {
      m.put("PreviousSpec", spec(s.getPreviousSpec()));
    }
    m.put("Endpoint", endpoint(s.getEndpoint()));
    if (s.hasUpdateStatus()) {
      m.put("UpdateStatus", updateStatus(s.getUpdateStatus()));
    }
    if (s.hasJobStatus()) {
      Map<String, Object> job = new LinkedHashMap<>();
      Map<String, Object> iteration = new LinkedHashMap<>();
      long index = s.getJobStatus().getJobIteration().getIndex();
      putIf(iteration, "Index", index, index != 0);
      job.put("JobIteration", iteration);
      job.put("LastExecution", GoTime.rfc3339Nano(s.getJobStatus().getLastExecution()));
      m.put("JobStatus", job);
    }
    return m;
  }

  static Map<String, Object> spec(ServiceSpec spec) {
    Map<String, Object> m = new LinkedHashMap<>();
    putIf(m, "Name", spec.getAnnotations().getName(), !spec.getAnnotations().getName().isEmpty());
    m.put("Labels", new TreeMap<>(spec.getAnnotations().getLabelsMap()));
    m.put("TaskTemplate", taskTemplate(spec.getTask()));
    m.put("Mode", mode(spec));
    if (spec.hasUpdate()) {
      m.put("UpdateConfig", updateConfig(spec.getUpdate()));
    }
    if (spec.hasRollback()) {
      m.put("RollbackConfig", updateConfig(spec.getRollback()));
    }
    putIf(m, "Networks", networks(spec.getNetworksList()), spec.getNetworksCount() > 0);
    m.put("EndpointSpec", endpointSpec(spec.getEndpoint()));
    return m;
  }

  private static Map<String, Object> taskTemplate(TaskSpec t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ContainerSpec", container(t.getContainer()));
    if (t.hasResources()) {
      m.put("Resources", resources(t.getResources()));
    }
    if (t.hasRestart()) {
      m.put("RestartPolicy", restart(t.getRestart()));
    }
    if (t.hasPlacement()) {
      m.put("Placement", placement(t.getPlacement()));
    }
    putIf(m, "Networks", networks(t.getNetworksList()), t.getNetworksCount() > 0);
    m.put("ForceUpdate", t.getForceUpdate());
    m.put("Runtime", "container");
    return m;
  }

  /** Docker's NetworkAttachmentConfig: Target, and Aliases and DriverOpts when set. */
  private static List<Object> networks(List<NetworkAttachmentConfig> networks) {
    List<Object> out = new ArrayList<>();
    for (NetworkAttachmentConfig n : networks) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Target", n.getTarget());
      putIf(m, "Aliases", n.getAliasesList(), n.getAliasesCount() > 0);
      putIf(
          m,
          "DriverOpts",
          new TreeMap<>(n.getDriverAttachmentOptsMap()),
          n.getDriverAttachmentOptsCount() > 0);
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> container(ContainerSpec c) {
    Map<String, Object> m = new LinkedHashMap<>();
    putIf(m, "Image", c.getImage(), !c.getImage().isEmpty());
    putIf(m, "Labels", new TreeMap<>(c.getLabelsMap()), c.getLabelsCount() > 0);
    putIf(m, "Command", c.getCommandList(), c.getCommandCount() > 0);
    putIf(m, "Args", c.getArgsList(), c.getArgsCount() > 0);
    putIf(m, "Hostname", c.getHostname(), !c.getHostname().isEmpty());
    putIf(m, "Env", c.getEnvList(), c.getEnvCount() > 0);
    putIf(m, "Dir", c.getDir(), !c.getDir().isEmpty());
    putIf(m, "User", c.getUser(), !c.getUser().isEmpty());
    putIf(m, "Groups", c.getGroupsList(), c.getGroupsCount() > 0);
    putIf(m, "TTY", true, c.getTty());
    putIf(m, "OpenStdin", true, c.getOpenStdin());
    putIf(m, "ReadOnly", true, c.getReadOnly());
    putIf(m, "StopSignal", c.getStopSignal(), !c.getStopSignal().isEmpty());
    putIf(m, "StopGracePeriod", nanos(c.getStopGracePeriod()), c.hasStopGracePeriod());
    if (c.hasHealthcheck()) {
      m.put("Healthcheck", healthcheck(c.getHealthcheck()));
    }
    putIf(m, "Hosts", c.getHostsList(), c.getHostsCount() > 0);
    putIf(m, "Init", c.getInit(), c.hasInit());
    m.put("Isolation", "default");
    return m;
  }

  /** Docker's container.HealthConfig: every field omitted when empty. */
  private static Map<String, Object> healthcheck(HealthConfig h) {
    Map<String, Object> m = new LinkedHashMap<>();
    putIf(m, "Test", h.getTestList(), h.getTestCount() > 0);
    putIf(m, "Interval", nanos(h.getInterval()), nanos(h.getInterval()) != 0);
    putIf(m, "Timeout", nanos(h.getTimeout()), nanos(h.getTimeout()) != 0);
    putIf(m, "StartPeriod", nanos(h.getStartPeriod()), nanos(h.getStartPeriod()) != 0);
    putIf(m, "StartInterval", nanos(h.getStartInterval()), nanos(h.getStartInterval()) != 0);
    putIf(m, "Retries", h.getRetries(), h.getRetries() != 0);
    return m;
  }

  private static Map<String, Object> resources(ResourceRequirements r) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (r.hasLimits()) {
      m.put("Limits", amounts(r.getLimits()));
    }
    if (r.hasReservations()) {
      m.put("Reservations", amounts(r.getReservations()));
    }
    return m;
  }

  private static Map<String, Object> amounts(Resources r) {
    Map<String, Object> m = new LinkedHashMap<>();
    putIf(m, "NanoCPUs", r.getNanoCpus(), r.getNanoCpus() != 0);
    putIf(m, "MemoryBytes", r.getMemoryBytes(), r.getMemoryBytes() != 0);
    return m;
  }

  private static Map<String, Object> restart(RestartPolicy r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Condition", condition(r.getCondition()));
    putIf(m, "Delay", nanos(r.getDelay()), r.hasDelay());
    m.put("MaxAttempts", r.getMaxAttempts());
    putIf(m, "Window", nanos(r.getWindow()), r.hasWindow());
    return m;
  }

  static String condition(RestartPolicy.RestartCondition c) {
    return switch (c) {
      case NONE -> "none";
      case ON_FAILURE -> "on-failure";
      default -> "any";
    };
  }

  private static Map<String, Object> placement(Placement p) {
    Map<String, Object> m = new LinkedHashMap<>();
    putIf(m, "Constraints", p.getConstraintsList(), p.getConstraintsCount() > 0);
    List<Object> prefs = new ArrayList<>();
    for (PlacementPreference pref : p.getPreferencesList()) {
      prefs.add(
          Map.of("Spread", Map.of("SpreadDescriptor", pref.getSpread().getSpreadDescriptor())));
    }
    putIf(m, "Preferences", prefs, !prefs.isEmpty());
    putIf(m, "MaxReplicas", p.getMaxReplicas(), p.getMaxReplicas() != 0);
    List<Object> platforms = new ArrayList<>();
    p.getPlatformsList()
        .forEach(
            pl -> {
              Map<String, Object> platform = new LinkedHashMap<>();
              platform.put("Architecture", pl.getArchitecture());
              platform.put("OS", pl.getOs());
              platforms.add(platform);
            });
    putIf(m, "Platforms", platforms, !platforms.isEmpty());
    return m;
  }

  private static Map<String, Object> mode(ServiceSpec spec) {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (spec.getModeCase()) {
      case GLOBAL -> m.put("Global", Map.of());
      case GLOBAL_JOB -> m.put("GlobalJob", Map.of());
      case REPLICATED_JOB -> {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("MaxConcurrent", spec.getReplicatedJob().getMaxConcurrent());
        job.put("TotalCompletions", spec.getReplicatedJob().getTotalCompletions());
        m.put("ReplicatedJob", job);
      }
      default -> m.put("Replicated", Map.of("Replicas", spec.getReplicated().getReplicas()));
    }
    return m;
  }

  private static Map<String, Object> updateConfig(UpdateConfig u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Parallelism", u.getParallelism());
    putIf(m, "Delay", nanos(u.getDelay()), u.hasDelay() && nanos(u.getDelay()) != 0);
    m.put("FailureAction", failureAction(u.getFailureAction()));
    putIf(m, "Monitor", nanos(u.getMonitor()), u.hasMonitor() && nanos(u.getMonitor()) != 0);
    m.put("MaxFailureRatio", (double) u.getMaxFailureRatio());
    m.put("Order", order(u.getOrder()));
    // Beyond docker's fields, left out when unset as docker leaves out its empty ones.
    putIf(m, "Canary", u.getCanary(), u.getCanary() != 0);
    putIf(
        m,
        "CanaryAuto",
        nanos(u.getCanaryAuto()),
        u.hasCanaryAuto() && nanos(u.getCanaryAuto()) != 0);
    return m;
  }

  static String failureAction(UpdateConfig.FailureAction a) {
    return switch (a) {
      case CONTINUE -> "continue";
      case ROLLBACK -> "rollback";
      default -> "pause";
    };
  }

  static String order(UpdateConfig.UpdateOrder o) {
    return o == UpdateConfig.UpdateOrder.START_FIRST ? "start-first" : "stop-first";
  }

  private static Map<String, Object> endpointSpec(EndpointSpec e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Mode", e.getMode() == EndpointSpec.ResolutionMode.DNSRR ? "dnsrr" : "vip");
    List<Object> ports =
        e.getPortsList().stream().map(ServiceJson::port).map(p -> (Object) p).toList();
    putIf(m, "Ports", ports, !ports.isEmpty());
    // Beyond docker: the routing mesh's options, left out when off as docker's empty fields.
    putIf(m, "IngressMasquerade", true, e.getIngressMasquerade());
    putIf(m, "IngressPreferLocal", true, e.getIngressPreferLocal());
    return m;
  }

  private static Map<String, Object> endpoint(Endpoint e) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> spec = new LinkedHashMap<>();
    if (e.hasSpec()) {
      spec = endpointSpec(e.getSpec());
    }
    m.put("Spec", spec);
    List<Object> ports =
        e.getPortsList().stream().map(ServiceJson::port).map(p -> (Object) p).toList();
    putIf(m, "Ports", ports, !ports.isEmpty());
    List<Object> vips = new ArrayList<>();
    e.getVirtualIpsList()
        .forEach(
            v -> {
              Map<String, Object> vip = new LinkedHashMap<>();
              vip.put("NetworkID", v.getNetworkId());
              vip.put("Addr", v.getAddr());
              vips.add(vip);
            });
    putIf(m, "VirtualIPs", vips, !vips.isEmpty());
    return m;
  }

  static Map<String, Object> port(PortConfig p) {
    Map<String, Object> m = new LinkedHashMap<>();
    putIf(m, "Name", p.getName(), !p.getName().isEmpty());
    m.put("Protocol", p.getProtocol().name().toLowerCase(Locale.ROOT));
    m.put("TargetPort", p.getTargetPort());
    m.put("PublishedPort", p.getPublishedPort());
    m.put("PublishMode", p.getPublishMode() == PortConfig.PublishMode.HOST ? "host" : "ingress");
    return m;
  }

  private static Map<String, Object> updateStatus(UpdateStatus u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("State", updateState(u.getState()));
    putIf(m, "StartedAt", GoTime.rfc3339Nano(u.getStartedAt()), u.hasStartedAt());
    putIf(m, "CompletedAt", GoTime.rfc3339Nano(u.getCompletedAt()), u.hasCompletedAt());
    m.put("Message", u.getMessage());
    putIf(m, "CanaryPromoted", true, u.getCanaryPromoted());
    return m;
  }

  static String updateState(UpdateStatus.UpdateState s) {
    return switch (s) {
      case UPDATING -> "updating";
      case PAUSED -> "paused";
      case COMPLETED -> "completed";
      case ROLLBACK_STARTED -> "rollback_started";
      case ROLLBACK_PAUSED -> "rollback_paused";
      case ROLLBACK_COMPLETED -> "rollback_completed";
      case CANARY -> "canary";
      default -> "";
    };
  }

  static long nanos(com.google.protobuf.Duration d) {
    return ProtoTime.duration(d).toNanos();
  }

  private static void putIf(Map<String, Object> m, String key, Object value, boolean present) {
    if (present) {
      m.put(key, value);
    }
  }
}
