package io.corral.cli.service;

import io.corral.api.ContainerSpec;
import io.corral.api.HealthConfig;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.PlacementPreference;
import io.corral.api.PortConfig;
import io.corral.api.Resources;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.UpdateConfig;
import io.corral.api.UpdateStatus;
import io.corral.cli.format.ByteSize;
import io.corral.cli.format.GoDuration;
import io.corral.cli.format.HumanDuration;
import io.corral.cli.format.NanoCpus;
import io.corral.common.ProtoTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code service inspect --pretty}: docker's human-readable service template, tabs included (docker
 * prints it without a tabwriter). Each block starts with an empty line, as docker's template does.
 */
final class ServicePretty {

  private ServicePretty() {}

  /** The pretty form of {@code s}, its networks named by their ids. */
  static String render(Service s, Instant now) {
    return render(s, now, id -> id);
  }

  /**
   * The pretty form of {@code s}, its times said as ages at {@code now} ("2 seconds ago").
   *
   * @param networkName the name of a network, by the id a spec holds (the id itself if unknown)
   */
  static String render(Service s, Instant now, Function<String, String> networkName) {
    ServiceSpec spec = s.getSpec();
    StringBuilder b = new StringBuilder("\n");
    b.append("ID:\t\t").append(s.getId());
    b.append("\nName:\t\t").append(spec.getAnnotations().getName());
    labels(b, spec.getAnnotations().getLabelsMap());
    b.append("\nService Mode:");
    switch (spec.getModeCase()) {
      case GLOBAL -> b.append("\tGlobal");
      case GLOBAL_JOB -> b.append("\tGlobal job");
      case REPLICATED_JOB ->
          b.append("\tReplicated job")
              .append("\n Max Concurrent:\t")
              .append(spec.getReplicatedJob().getMaxConcurrent())
              .append("\n Total Completions:\t")
              .append(spec.getReplicatedJob().getTotalCompletions());
      default -> {
        b.append("\tReplicated");
        if (spec.getReplicated().getReplicas() != 0) {
          b.append("\n Replicas:\t").append(spec.getReplicated().getReplicas());
        }
      }
    }
    if (s.hasUpdateStatus()) {
      UpdateStatus u = s.getUpdateStatus();
      b.append("\nUpdateStatus:\n State:\t\t").append(ServiceJson.updateState(u.getState()));
      if (u.hasStartedAt()) {
        b.append("\n Started:\t").append(ago(u.getStartedAt(), now));
      }
      if (u.getState() == UpdateStatus.UpdateState.COMPLETED && u.hasCompletedAt()) {
        b.append("\n Completed:\t").append(ago(u.getCompletedAt(), now));
      }
      b.append("\n Message:\t").append(u.getMessage());
    }
    b.append("\nPlacement:");
    var placement = spec.getTask().getPlacement();
    if (placement.getConstraintsCount() > 0) {
      b.append("\n Constraints:\t").append(goSlice(placement.getConstraintsList()));
    }
    if (placement.getPreferencesCount() > 0) {
      b.append("\n Preferences:   ")
          .append(
              goSlice(
                  placement.getPreferencesList().stream()
                      .map(PlacementPreference::getSpread)
                      .map(p -> "spread=" + p.getSpreadDescriptor())
                      .toList()));
    }
    if (placement.getMaxReplicas() > 0) {
      b.append("\n Max Replicas Per Node:   ").append(placement.getMaxReplicas());
    }
    if (spec.hasUpdate()) {
      updateConfig(b, "UpdateConfig:", "Update order:      ", spec.getUpdate());
      canary(b, spec.getUpdate());
    }
    if (spec.hasRollback()) {
      updateConfig(b, "RollbackConfig:", "Rollback order:    ", spec.getRollback());
    }
    container(b, spec.getTask().getContainer());
    if (spec.getTask().hasResources()) {
      b.append("\nResources:");
      amounts(b, " Reservations:", spec.getTask().getResources().getReservations());
      amounts(b, " Limits:", spec.getTask().getResources().getLimits());
    }
    // Docker's template: "Networks:" and " NAME" per network, then a space.
    List<NetworkAttachmentConfig> networks =
        spec.getTask().getNetworksCount() > 0
            ? spec.getTask().getNetworksList()
            : spec.getNetworksList();
    if (!networks.isEmpty()) {
      b.append("\nNetworks:");
      networks.forEach(n -> b.append(' ').append(networkName.apply(n.getTarget())));
      b.append(' ');
    }
    b.append("\nEndpoint Mode:\t").append(spec.getEndpoint().getMode().name().toLowerCase());
    List<PortConfig> ports =
        s.getEndpoint().getPortsCount() > 0
            ? s.getEndpoint().getPortsList()
            : spec.getEndpoint().getPortsList();
    if (!ports.isEmpty()) {
      b.append("\nPorts:");
      for (PortConfig p : ports) {
        Map<String, Object> m = ServiceJson.port(p);
        b.append("\n PublishedPort = ")
            .append(m.get("PublishedPort"))
            .append("\n  Protocol = ")
            .append(m.get("Protocol"))
            .append("\n  TargetPort = ")
            .append(m.get("TargetPort"))
            .append("\n  PublishMode = ")
            .append(m.get("PublishMode"));
      }
      b.append(' ');
    }
    // Beyond docker: the routing mesh's options, shown only when on.
    if (spec.getEndpoint().getIngressMasquerade()) {
      b.append("\nIngress Masquerade:\ttrue");
    }
    if (spec.getEndpoint().getIngressPreferLocal()) {
      b.append("\nIngress Prefer Local:\ttrue");
    }
    if (spec.getTask().getContainer().hasHealthcheck()) {
      healthcheck(b, spec.getTask().getContainer().getHealthcheck());
    }
    return b.append('\n').toString();
  }

  /** Docker's units.HumanDuration + " ago", not lower-cased (unlike the list columns). */
  private static String ago(com.google.protobuf.Timestamp t, Instant now) {
    Duration d = Duration.between(ProtoTime.instant(t), now);
    return HumanDuration.of(d.isNegative() ? Duration.ZERO : d) + " ago";
  }

  /** Beyond docker: the canary stage of updates, when set. */
  private static void canary(StringBuilder b, UpdateConfig u) {
    if (u.getCanary() == 0) {
      return;
    }
    b.append("\n Canary:\t\t").append(u.getCanary());
    b.append("\n Canary auto-promote: ")
        .append(
            u.hasCanaryAuto() && ServiceJson.nanos(u.getCanaryAuto()) > 0
                ? GoDuration.format(ProtoTime.duration(u.getCanaryAuto()))
                : "no (promote by hand)");
  }

  /** Docker's Healthcheck block, its odd indentation and tabs included. */
  private static void healthcheck(StringBuilder b, HealthConfig h) {
    b.append("\n Healthcheck:");
    b.append("\n  Interval = ").append(goDuration(h.getInterval()));
    b.append("\n  Retries = ").append(h.getRetries());
    b.append("\n  StartPeriod =\t").append(goDuration(h.getStartPeriod()));
    b.append("\n  Timeout =\t").append(goDuration(h.getTimeout()));
    if (h.getTestCount() > 0) {
      b.append("\n  Tests:");
      h.getTestList().forEach(test -> b.append("\n\t Test = ").append(test));
      b.append(' ');
    }
  }

  /** A Go time.Duration as a template prints it ({@code 0s} when unset). */
  private static String goDuration(com.google.protobuf.Duration d) {
    return GoDuration.format(ProtoTime.duration(d));
  }

  private static void labels(StringBuilder b, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return;
    }
    b.append("\nLabels:");
    new TreeMap<>(labels)
        .forEach((k, v) -> b.append("\n ").append(k).append(v.isEmpty() ? "" : "=" + v));
  }

  private static void updateConfig(
      StringBuilder b, String title, String orderLabel, UpdateConfig u) {
    b.append('\n').append(title);
    b.append("\n Parallelism:\t").append(u.getParallelism());
    if (u.hasDelay() && ServiceJson.nanos(u.getDelay()) > 0) {
      b.append("\n Delay:\t\t").append(GoDuration.format(ProtoTime.duration(u.getDelay())));
    }
    b.append("\n On failure:\t").append(ServiceJson.failureAction(u.getFailureAction()));
    if (u.hasMonitor() && ServiceJson.nanos(u.getMonitor()) > 0) {
      b.append("\n Monitoring Period: ")
          .append(GoDuration.format(ProtoTime.duration(u.getMonitor())));
    }
    b.append("\n Max failure ratio: ").append(goFloat(u.getMaxFailureRatio()));
    b.append("\n ").append(orderLabel).append(ServiceJson.order(u.getOrder()));
  }

  private static void container(StringBuilder b, ContainerSpec c) {
    b.append("\nContainerSpec:");
    b.append("\n Image:\t\t").append(c.getImage());
    if (c.getArgsCount() > 0) {
      b.append("\n Args:\t\t")
          .append(c.getArgsList().stream().map(a -> a + " ").collect(Collectors.joining()));
    }
    if (c.getEnvCount() > 0) {
      b.append("\n Env:\t\t")
          .append(c.getEnvList().stream().map(e -> e + " ").collect(Collectors.joining()));
    }
    if (!c.getDir().isEmpty()) {
      b.append("\n Dir:\t\t").append(c.getDir());
    }
    if (c.hasInit()) {
      b.append("\n Init:\t\t").append(c.getInit());
    }
    if (!c.getUser().isEmpty()) {
      b.append("\n User: ").append(c.getUser());
    }
  }

  private static void amounts(StringBuilder b, String title, Resources r) {
    if (r.getNanoCpus() <= 0 && r.getMemoryBytes() <= 0) {
      return;
    }
    b.append('\n').append(title);
    if (r.getNanoCpus() > 0) {
      b.append("\n  CPU:\t\t").append(NanoCpus.format(r.getNanoCpus()));
    }
    if (r.getMemoryBytes() > 0) {
      b.append("\n  Memory:\t").append(ByteSize.binary(r.getMemoryBytes()));
    }
  }

  /** Go prints a []string in a template as {@code [a b]}. */
  private static String goSlice(List<String> items) {
    return "[" + String.join(" ", items) + "]";
  }

  /** Go's %v of a float32: {@code 0}, {@code 0.2}. */
  private static String goFloat(float f) {
    return f == Math.rint(f) ? Long.toString((long) f) : Float.toString(f);
  }
}
