package io.corral.worker.exec.docker;

import io.corral.api.ContainerSpec;
import io.corral.api.Driver;
import io.corral.api.HealthConfig;
import io.corral.api.Mount;
import io.corral.api.Resources;
import io.corral.api.Task;
import io.corral.common.ProtoTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates a task into the Engine API's container name, labels and create body, as swarmkit's
 * dockerapi does.
 */
public final class ContainerConfigs {
  public static final String LABEL_TASK_ID = "io.corral.task.id";
  public static final String LABEL_TASK_NAME = "io.corral.task.name";
  public static final String LABEL_SERVICE_ID = "io.corral.service.id";
  public static final String LABEL_SERVICE_NAME = "io.corral.service.name";
  public static final String LABEL_NODE_ID = "io.corral.node.id";

  /**
   * Set ("true") on a networked task's sandbox container, which otherwise carries the task's
   * labels: adoption must not take it for the task's own container.
   */
  public static final String LABEL_SANDBOX = "io.corral.sandbox";

  /** Where the host's static busybox appears inside a sandbox container. */
  static final String SANDBOX_BUSYBOX = "/.corral/busybox";

  /**
   * What a sandbox runs: busybox's sleep for 68 years, which does nothing but hold the namespace.
   */
  static final List<String> SANDBOX_COMMAND =
      List.of(SANDBOX_BUSYBOX, "sleep", Integer.toString(Integer.MAX_VALUE));

  /** Docker's (and Corral's) stop grace period when the spec gives none. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

  private ContainerConfigs() {}

  /**
   * The task's name: its own annotation when set, else {@code <service>.<slot>.<task id>} for
   * replicated tasks and {@code <service>.<node id>.<task id>} for global ones (swarmkit's
   * naming.Task).
   */
  public static String containerName(Task task) {
    if (!task.getAnnotations().getName().isEmpty()) {
      return task.getAnnotations().getName();
    }
    String service =
        task.getServiceAnnotations().getName().isEmpty()
            ? task.getServiceId()
            : task.getServiceAnnotations().getName();
    String slot = task.getSlot() != 0 ? Long.toUnsignedString(task.getSlot()) : task.getNodeId();
    return service + "." + slot + "." + task.getId();
  }

  /**
   * The spec's labels plus Corral's identity labels, which win over user labels of the same key.
   */
  public static Map<String, String> labels(Task task, String nodeId) {
    Map<String, String> labels = new LinkedHashMap<>(task.getSpec().getContainer().getLabelsMap());
    labels.put(LABEL_TASK_ID, task.getId());
    labels.put(LABEL_TASK_NAME, containerName(task));
    labels.put(LABEL_SERVICE_ID, task.getServiceId());
    labels.put(LABEL_SERVICE_NAME, task.getServiceAnnotations().getName());
    labels.put(LABEL_NODE_ID, nodeId);
    return labels;
  }

  public static Duration stopGrace(ContainerSpec spec) {
    if (!spec.hasStopGracePeriod()) {
      return DEFAULT_STOP_GRACE;
    }
    return ProtoTime.duration(spec.getStopGracePeriod());
  }

  /** The body of {@code POST /containers/create} for the task, attached to {@code networkMode}. */
  public static Map<String, Object> createBody(Task task, String nodeId, String networkMode) {
    ContainerSpec spec = task.getSpec().getContainer();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("Image", spec.getImage());
    config.put("Labels", labels(task, nodeId));
    // Docker semantics: a command replaces the image's entrypoint (and then args are its
    // arguments); args alone
    // replace only the image's CMD, keeping its entrypoint.
    if (spec.getCommandCount() > 0) {
      config.put("Entrypoint", List.copyOf(spec.getCommandList()));
      config.put("Cmd", List.copyOf(spec.getArgsList()));
    } else if (spec.getArgsCount() > 0) {
      config.put("Cmd", List.copyOf(spec.getArgsList()));
    }
    putIfNotEmpty(config, "Env", List.copyOf(spec.getEnvList()));
    putIfNotEmpty(config, "WorkingDir", spec.getDir());
    putIfNotEmpty(config, "User", spec.getUser());
    putIfNotEmpty(config, "Hostname", spec.getHostname());
    putIfNotEmpty(config, "StopSignal", spec.getStopSignal());
    config.put(
        "StopTimeout",
        (int) Math.min(Integer.MAX_VALUE, DockerClient.secondsRoundedUp(stopGrace(spec))));
    if (spec.getTty()) {
      config.put("Tty", true);
    }
    if (spec.getOpenStdin()) {
      config.put("OpenStdin", true);
    }
    if (spec.hasHealthcheck()) {
      config.put("Healthcheck", healthcheck(spec.getHealthcheck()));
    }
    config.put("HostConfig", hostConfig(task, spec, networkMode));
    return config;
  }

  /**
   * The body of a networked task's container: in the network namespace of its sandbox container
   * ({@code container:SANDBOX}, by name, so that a sandbox re-created under the same name is
   * found), with the resolv.conf the network driver wrote bind-mounted (the engine refuses DNS
   * settings, a hostname and extra hosts with a container network mode: those go on the sandbox).
   */
  public static Map<String, Object> networkedBody(
      Task task, String nodeId, String sandboxName, java.nio.file.Path resolvConf) {
    Map<String, Object> config = createBody(task, nodeId, "container:" + sandboxName);
    config.remove("Hostname");
    @SuppressWarnings("unchecked")
    Map<String, Object> host = (Map<String, Object>) config.get("HostConfig");
    host.remove("Dns");
    host.remove("DnsSearch");
    host.remove("DnsOptions");
    host.remove("ExtraHosts");
    boolean ownResolvConf =
        task.getSpec().getContainer().getMountsList().stream()
            .anyMatch(m -> m.getTarget().equals("/etc/resolv.conf"));
    if (!ownResolvConf) {
      @SuppressWarnings("unchecked")
      List<Object> mounts = new ArrayList<>((List<Object>) host.getOrDefault("Mounts", List.of()));
      Map<String, Object> bind = new LinkedHashMap<>();
      bind.put("Type", "bind");
      bind.put("Source", resolvConf.toString());
      bind.put("Target", "/etc/resolv.conf");
      bind.put("ReadOnly", true);
      mounts.add(bind);
      host.put("Mounts", mounts);
    }
    return config;
  }

  /**
   * The body of a networked task's fresh sandbox container: the task's own image (present, since
   * the task runs it) running the host's static busybox, bind-mounted read-only, as {@code sleep},
   * in network mode {@code none}; labelled as the task with {@link #LABEL_SANDBOX}. It takes the
   * task's hostname and extra hosts, which the task's container shares.
   */
  public static Map<String, Object> sandboxBody(
      Task task, String nodeId, java.nio.file.Path busybox) {
    ContainerSpec spec = task.getSpec().getContainer();
    Map<String, Object> config = sandbox(spec.getImage(), labels(task, nodeId), busybox, "none");
    putIfNotEmpty(config, "Hostname", spec.getHostname());
    @SuppressWarnings("unchecked")
    Map<String, Object> host = (Map<String, Object>) config.get("HostConfig");
    putIfNotEmpty(host, "ExtraHosts", extraHosts(spec.getHostsList()));
    return config;
  }

  /**
   * The body of a sandbox that holds the namespace a task's running container is already in (its
   * sandbox was lost): the container's image and labels, network mode {@code container:ID} (which
   * takes no hostname nor hosts).
   */
  public static Map<String, Object> joiningSandboxBody(
      ContainerState taskContainer, java.nio.file.Path busybox) {
    return sandbox(
        taskContainer.image(),
        new LinkedHashMap<>(taskContainer.labels()),
        busybox,
        "container:" + taskContainer.id());
  }

  private static Map<String, Object> sandbox(
      String image, Map<String, String> labels, java.nio.file.Path busybox, String networkMode) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("Image", image);
    labels.put(LABEL_SANDBOX, "true");
    config.put("Labels", labels);
    config.put("Entrypoint", SANDBOX_COMMAND);
    config.put("Cmd", List.of());
    Map<String, Object> host = new LinkedHashMap<>();
    host.put("NetworkMode", networkMode);
    Map<String, Object> bind = new LinkedHashMap<>();
    bind.put("Type", "bind");
    bind.put("Source", busybox.toString());
    bind.put("Target", SANDBOX_BUSYBOX);
    bind.put("ReadOnly", true);
    host.put("Mounts", List.of(bind));
    config.put("HostConfig", host);
    return config;
  }

  private static Map<String, Object> hostConfig(Task task, ContainerSpec spec, String networkMode) {
    Map<String, Object> host = new LinkedHashMap<>();
    host.put("NetworkMode", networkMode);
    Resources limits = task.getSpec().getResources().getLimits();
    Resources reservations = task.getSpec().getResources().getReservations();
    if (limits.getMemoryBytes() > 0) {
      host.put("Memory", limits.getMemoryBytes());
    }
    if (limits.getNanoCpus() > 0) {
      host.put("NanoCpus", limits.getNanoCpus());
    }
    if (reservations.getMemoryBytes() > 0) {
      host.put("MemoryReservation", reservations.getMemoryBytes());
    }
    if (reservations.getNanoCpus() > 0) {
      host.put("CpuShares", cpuShares(reservations.getNanoCpus()));
    }
    if (spec.hasInit()) {
      host.put("Init", spec.getInit());
    }
    if (spec.getPidsLimit() > 0) {
      host.put("PidsLimit", spec.getPidsLimit());
    }
    if (spec.getReadOnly()) {
      host.put("ReadonlyRootfs", true);
    }
    putIfNotEmpty(host, "CapAdd", List.copyOf(spec.getCapAddList()));
    putIfNotEmpty(host, "CapDrop", List.copyOf(spec.getCapDropList()));
    putIfNotEmpty(host, "GroupAdd", List.copyOf(spec.getGroupsList()));
    if (!spec.getSysctlsMap().isEmpty()) {
      host.put("Sysctls", new LinkedHashMap<>(spec.getSysctlsMap()));
    }
    List<Object> ulimits = new ArrayList<>();
    for (ContainerSpec.Ulimit u : spec.getUlimitsList()) {
      ulimits.add(Map.of("Name", u.getName(), "Soft", u.getSoft(), "Hard", u.getHard()));
    }
    putIfNotEmpty(host, "Ulimits", ulimits);
    putIfNotEmpty(host, "ExtraHosts", extraHosts(spec.getHostsList()));
    if (spec.hasDnsConfig()) {
      putIfNotEmpty(host, "Dns", List.copyOf(spec.getDnsConfig().getNameserversList()));
      putIfNotEmpty(host, "DnsSearch", List.copyOf(spec.getDnsConfig().getSearchList()));
      putIfNotEmpty(host, "DnsOptions", List.copyOf(spec.getDnsConfig().getOptionsList()));
    }
    List<Object> mounts = new ArrayList<>();
    for (Mount m : spec.getMountsList()) {
      mounts.add(mount(m));
    }
    putIfNotEmpty(host, "Mounts", mounts);
    Driver log = task.hasLogDriver() ? task.getLogDriver() : task.getSpec().getLogDriver();
    if (!log.getName().isEmpty()) {
      host.put(
          "LogConfig",
          Map.of("Type", log.getName(), "Config", new LinkedHashMap<>(log.getOptionsMap())));
    }
    return host;
  }

  /**
   * The engine has no CPU reservation, only a relative weight under contention: 1024 shares (its
   * default) per reserved CPU keeps reserved tasks' weights proportional to what the scheduler set
   * aside for them. The kernel takes at least 2 shares.
   */
  static long cpuShares(long nanoCpus) {
    return Math.max(2, nanoCpus * 1024 / 1_000_000_000L);
  }

  /**
   * Spec lines "IP host [aliases...]" (the hosts-file order) become docker's "host:IP", one per
   * name.
   */
  static List<Object> extraHosts(List<String> lines) {
    List<Object> out = new ArrayList<>();
    for (String line : lines) {
      String[] fields = line.trim().split("\\s+");
      for (int i = 1; i < fields.length; i++) {
        out.add(fields[i] + ":" + fields[0]);
      }
    }
    return out;
  }

  private static Map<String, Object> mount(Mount m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Type", m.getType().name().toLowerCase(Locale.ROOT));
    if (m.getType() != Mount.Type.TMPFS) {
      out.put("Source", m.getSource());
    }
    out.put("Target", m.getTarget());
    if (m.getReadonly()) {
      out.put("ReadOnly", true);
    }
    if (m.hasBindOptions()) {
      Map<String, Object> bind = new LinkedHashMap<>();
      bind.put("Propagation", m.getBindOptions().getPropagation().name().toLowerCase(Locale.ROOT));
      if (m.getBindOptions().getNonrecursive()) {
        bind.put("NonRecursive", true);
      }
      out.put("BindOptions", bind);
    }
    if (m.hasVolumeOptions()) {
      Mount.VolumeOptions v = m.getVolumeOptions();
      Map<String, Object> volume = new LinkedHashMap<>();
      if (v.getNocopy()) {
        volume.put("NoCopy", true);
      }
      if (!v.getLabelsMap().isEmpty()) {
        volume.put("Labels", new LinkedHashMap<>(v.getLabelsMap()));
      }
      if (v.hasDriverConfig()) {
        volume.put(
            "DriverConfig",
            Map.of(
                "Name",
                v.getDriverConfig().getName(),
                "Options",
                new LinkedHashMap<>(v.getDriverConfig().getOptionsMap())));
      }
      out.put("VolumeOptions", volume);
    }
    if (m.hasTmpfsOptions()) {
      Map<String, Object> tmpfs = new LinkedHashMap<>();
      if (m.getTmpfsOptions().getSizeBytes() > 0) {
        tmpfs.put("SizeBytes", m.getTmpfsOptions().getSizeBytes());
      }
      if (m.getTmpfsOptions().getMode() != 0) {
        tmpfs.put("Mode", (long) m.getTmpfsOptions().getMode());
      }
      out.put("TmpfsOptions", tmpfs);
    }
    return out;
  }

  private static Map<String, Object> healthcheck(HealthConfig h) {
    Map<String, Object> out = new LinkedHashMap<>();
    putIfNotEmpty(out, "Test", List.copyOf(h.getTestList()));
    // The Engine API takes these durations in nanoseconds; 0 means the default.
    if (h.hasInterval()) {
      out.put("Interval", ProtoTime.duration(h.getInterval()).toNanos());
    }
    if (h.hasTimeout()) {
      out.put("Timeout", ProtoTime.duration(h.getTimeout()).toNanos());
    }
    if (h.hasStartPeriod()) {
      out.put("StartPeriod", ProtoTime.duration(h.getStartPeriod()).toNanos());
    }
    if (h.getRetries() > 0) {
      out.put("Retries", h.getRetries());
    }
    return out;
  }

  private static void putIfNotEmpty(Map<String, Object> map, String key, String value) {
    if (!value.isEmpty()) {
      map.put(key, value);
    }
  }

  private static void putIfNotEmpty(Map<String, Object> map, String key, List<?> value) {
    if (!value.isEmpty()) {
      map.put(key, value);
    }
  }
}
