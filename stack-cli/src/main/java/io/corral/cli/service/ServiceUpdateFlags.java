package io.corral.cli.service;

import io.corral.api.ContainerSpec;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.PortConfig;
import io.corral.api.ServiceSpec;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.GoDuration;
import io.corral.cli.format.ShellWords;
import io.corral.common.ProtoTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags of {@code service update} that change a spec, and the updater that applies them to the
 * spec read from the manager (docker's updateService): pure, every value checked before anything is
 * sent.
 */
public final class ServiceUpdateFlags {

  @Option(names = "--image", paramLabel = "string", description = "Service image tag.")
  String image;

  @Option(names = "--args", paramLabel = "command", description = "Service command args.")
  String args;

  @Option(
      names = "--entrypoint",
      paramLabel = "command",
      description = "Overwrite the default ENTRYPOINT of the image.")
  String entrypoint;

  @Option(
      names = "--env-add",
      paramLabel = "list",
      description = "Add or update an environment variable.")
  List<String> envAdd = new ArrayList<>();

  @Option(names = "--env-rm", paramLabel = "list", description = "Remove an environment variable.")
  List<String> envRm = new ArrayList<>();

  @Option(
      names = "--label-add",
      paramLabel = "list",
      description = "Add or update a service label.")
  List<String> labelAdd = new ArrayList<>();

  @Option(names = "--label-rm", paramLabel = "list", description = "Remove a label by its key.")
  List<String> labelRm = new ArrayList<>();

  @Option(
      names = "--container-label-add",
      paramLabel = "list",
      description = "Add or update a container label.")
  List<String> containerLabelAdd = new ArrayList<>();

  @Option(
      names = "--container-label-rm",
      paramLabel = "list",
      description = "Remove a container label by its key.")
  List<String> containerLabelRm = new ArrayList<>();

  @Option(
      names = "--constraint-add",
      paramLabel = "list",
      description = "Add or update a placement constraint.")
  List<String> constraintAdd = new ArrayList<>();

  @Option(names = "--constraint-rm", paramLabel = "list", description = "Remove a constraint.")
  List<String> constraintRm = new ArrayList<>();

  @Option(names = "--replicas", paramLabel = "uint", description = "Number of tasks.")
  String replicas;

  @Option(
      names = "--stop-grace-period",
      paramLabel = "duration",
      description = "Time to wait before force killing a container (ns|us|ms|s|m|h).")
  String stopGracePeriod;

  @Option(
      names = "--stop-signal",
      paramLabel = "string",
      description = "Signal to stop the container.")
  String stopSignal;

  @Option(
      names = {"-u", "--user"},
      paramLabel = "string",
      description = "Username or UID (format: <name|uid>[:<group|gid>]).")
  String user;

  @Option(
      names = {"-w", "--workdir"},
      paramLabel = "string",
      description = "Working directory inside the container.")
  String workdir;

  @Option(
      names = "--network-add",
      paramLabel = "network",
      description = "Add a network (NAME, or name=NAME,alias=ALIAS[,alias=…]).")
  List<String> networkAdd = new ArrayList<>();

  @Option(names = "--network-rm", paramLabel = "list", description = "Remove a network.")
  List<String> networkRm = new ArrayList<>();

  @Option(
      names = "--endpoint-mode",
      paramLabel = "string",
      description = "Endpoint mode (vip or dnsrr).")
  String endpointMode;

  @Option(
      names = "--publish-add",
      paramLabel = "port",
      description =
          "Add or update a published port ([published:]target[/protocol], or "
              + "published=P,target=T,protocol=tcp|udp|sctp,mode=ingress|host).")
  List<String> publishAdd = new ArrayList<>();

  @Option(
      names = "--publish-rm",
      paramLabel = "port",
      description =
          "Remove a published port by its target port (target[/protocol], or long syntax).")
  List<String> publishRm = new ArrayList<>();

  @Mixin IngressFlags ingress = new IngressFlags();

  @Option(names = "--force", description = "Force update even if no changes require it.")
  boolean force;

  @Mixin RolloutFlags rollout = new RolloutFlags();

  @Mixin HealthFlags health = new HealthFlags();

  /** Whether any flag that changes the spec was given ({@code --rollback} takes none). */
  boolean any() {
    return image != null
        || args != null
        || entrypoint != null
        || !envAdd.isEmpty()
        || !envRm.isEmpty()
        || !labelAdd.isEmpty()
        || !labelRm.isEmpty()
        || !containerLabelAdd.isEmpty()
        || !containerLabelRm.isEmpty()
        || !constraintAdd.isEmpty()
        || !constraintRm.isEmpty()
        || replicas != null
        || stopGracePeriod != null
        || stopSignal != null
        || user != null
        || workdir != null
        || !networkAdd.isEmpty()
        || !networkRm.isEmpty()
        || endpointMode != null
        || !publishAdd.isEmpty()
        || !publishRm.isEmpty()
        || ingress.any()
        || force
        || rollout.any()
        || health.cmd != null
        || health.interval != null
        || health.timeout != null
        || health.retries != null
        || health.startPeriod != null
        || health.none;
  }

  /** As {@link #applyTo(ServiceSpec, Function)}, for flags that name no network. */
  ServiceSpec applyTo(ServiceSpec current) {
    return applyTo(
        current,
        ref -> {
          throw new IllegalStateException("no network resolver for " + ref);
        });
  }

  /**
   * {@code current} with the flags' changes, in docker's order (removals before additions).
   *
   * @param networkId the id of the network a reference names (asked of the manager, as docker's
   *     client does, only when {@code --network-add} or {@code --network-rm} is given: the spec
   *     holds ids)
   * @throws CliFailure naming the flag whose value is wrong
   */
  ServiceSpec applyTo(ServiceSpec current, Function<String, String> networkId) {
    ServiceSpec.Builder spec = current.toBuilder();
    ContainerSpec.Builder c = spec.getTaskBuilder().getContainerBuilder();
    if (image != null) {
      c.setImage(image);
    }
    if (args != null) {
      c.clearArgs().addAllArgs(words("--args", args));
    }
    if (entrypoint != null) {
      c.clearCommand().addAllCommand(words("--entrypoint", entrypoint));
    }
    c.clearEnv().addAllEnv(env(c.getEnvList()));
    labelRm.forEach(spec.getAnnotationsBuilder()::removeLabels);
    spec.getAnnotationsBuilder().putAllLabels(ServiceSpecFlags.keyValues("--label-add", labelAdd));
    containerLabelRm.forEach(c::removeLabels);
    c.putAllLabels(ServiceSpecFlags.keyValues("--container-label-add", containerLabelAdd));
    if (!constraintAdd.isEmpty() || !constraintRm.isEmpty()) {
      Set<String> constraints =
          new LinkedHashSet<>(spec.getTask().getPlacement().getConstraintsList());
      constraints.removeAll(constraintRm);
      constraints.addAll(constraintAdd);
      spec.getTaskBuilder().getPlacementBuilder().clearConstraints().addAllConstraints(constraints);
    }
    if (stopGracePeriod != null) {
      c.setStopGracePeriod(
          ProtoTime.protoDuration(GoDuration.parseFlag("--stop-grace-period", stopGracePeriod)));
    }
    if (stopSignal != null) {
      c.setStopSignal(stopSignal);
    }
    if (user != null) {
      c.setUser(user);
    }
    if (workdir != null) {
      c.setDir(workdir);
    }
    health.applyTo(c);
    if (replicas != null) {
      long n = ServiceSpecFlags.unsigned("--replicas", replicas);
      switch (spec.getModeCase()) {
        case REPLICATED -> spec.getReplicatedBuilder().setReplicas(n);
        case REPLICATED_JOB -> spec.getReplicatedJobBuilder().setTotalCompletions(n);
        default ->
            throw new CliFailure(
                "replicas can only be used with replicated or replicated-job mode");
      }
    }
    networks(spec, networkId);
    if (endpointMode != null) {
      spec.getEndpointBuilder().setMode(NetworkFlags.mode(endpointMode));
    }
    ports(spec);
    if (ingress.any()) {
      ingress.applyTo(spec.getEndpointBuilder());
    }
    rollout.applyTo(spec);
    if (force) {
      // The manager sees a changed task template and replaces every task.
      spec.getTaskBuilder().setForceUpdate(spec.getTask().getForceUpdate() + 1);
    }
    return spec.build();
  }

  /**
   * Docker's updateNetworks: the networks of the task template (those of the deprecated
   * service-level list are moved there), minus {@code --network-rm}, plus {@code --network-add};
   * adding a network the service is already on is refused.
   */
  private void networks(ServiceSpec.Builder spec, Function<String, String> networkId) {
    if (networkAdd.isEmpty() && networkRm.isEmpty()) {
      return;
    }
    List<NetworkAttachmentConfig> current =
        new ArrayList<>(
            spec.getTask().getNetworksCount() > 0
                ? spec.getTask().getNetworksList()
                : spec.getNetworksList());
    List<NetworkAttachmentConfig> added = new ArrayList<>();
    for (String a : networkAdd) {
      added.add(NetworkFlags.parse("--network-add", a));
    }
    Set<String> removed = new LinkedHashSet<>();
    for (String r : networkRm) {
      removed.add(r);
      removed.add(networkId.apply(r));
    }
    current.removeIf(n -> removed.contains(n.getTarget()));
    Set<String> attached = new LinkedHashSet<>();
    current.forEach(n -> attached.add(n.getTarget()));
    for (NetworkAttachmentConfig a : added) {
      String id = networkId.apply(a.getTarget());
      if (!attached.add(id)) {
        throw new CliFailure(
            "--network-add: service is already attached to network " + a.getTarget());
      }
      current.add(a.toBuilder().setTarget(id).build());
    }
    spec.clearNetworks();
    spec.getTaskBuilder().clearNetworks().addAllNetworks(current);
  }

  /** Docker's updatePorts: {@code --publish-rm} by target, then {@code --publish-add}. */
  private void ports(ServiceSpec.Builder spec) {
    if (publishAdd.isEmpty() && publishRm.isEmpty()) {
      return;
    }
    List<PortConfig> remove = new ArrayList<>();
    publishRm.forEach(r -> remove.addAll(PortSpecs.parse("--publish-rm", r)));
    List<PortConfig> add = new ArrayList<>();
    publishAdd.forEach(a -> add.addAll(PortSpecs.parse("--publish-add", a)));
    List<PortConfig> ports = PortUpdates.apply(spec.getEndpoint().getPortsList(), remove, add);
    spec.getEndpointBuilder().clearPorts().addAllPorts(ports);
  }

  /** Docker's updateEnvironment: --env-rm drops a name, --env-add sets it (replacing its value). */
  private List<String> env(List<String> current) {
    List<String> out = new ArrayList<>();
    Set<String> removed = new LinkedHashSet<>(envRm);
    for (String add : envAdd) {
      if (add.startsWith("=")) {
        throw new CliFailure(
            "invalid argument \""
                + add
                + "\" for \"--env-add\" flag: invalid environment variable: "
                + add);
      }
      removed.add(name(add));
    }
    for (String e : current) {
      if (!removed.contains(name(e))) {
        out.add(e);
      }
    }
    out.addAll(envAdd);
    return out;
  }

  private static String name(String env) {
    int eq = env.indexOf('=');
    return eq < 0 ? env : env.substring(0, eq);
  }

  private static List<String> words(String flag, String text) {
    try {
      return ShellWords.split(text);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(
          "invalid argument \"" + text + "\" for \"" + flag + "\" flag: " + e.getMessage());
    }
  }
}
