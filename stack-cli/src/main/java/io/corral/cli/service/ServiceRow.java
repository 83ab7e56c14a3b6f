package io.corral.cli.service;

import io.corral.api.ListServiceStatusesResponse.ServiceStatus;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.UpdateStatus;
import io.corral.cli.format.Ellipsis;
import java.util.LinkedHashMap;
import java.util.Map;

/** One service as a line of {@code service ls}: the fields of docker's service list context. */
record ServiceRow(
    String id, String name, String mode, String replicas, String image, String ports) {

  /** Column headers of a {@code table} template, by field. */
  static final Map<String, String> HEADERS =
      Map.of(
          "ID", "ID",
          "Name", "NAME",
          "Mode", "MODE",
          "Replicas", "REPLICAS",
          "Image", "IMAGE",
          "Ports", "PORTS");

  static ServiceRow of(Service s, ServiceStatus status) {
    return new ServiceRow(
        Ellipsis.id(s.getId()),
        ServiceWords.name(s),
        ServiceWords.mode(s.getSpec()),
        replicas(s.getSpec(), status) + canary(s, status),
        image(s.getSpec().getTask().getContainer().getImage()),
        ports(s));
  }

  /**
   * Docker's REPLICAS: {@code running/desired}, with the per-node maximum when set; jobs add their
   * completions, {@code 2/5 (3/10 completed)}.
   */
  static String replicas(ServiceSpec spec, ServiceStatus status) {
    long running = status.getRunningTasks();
    long desired = status.getDesiredTasks();
    long completed = status.getCompletedTasks();
    if (spec.hasReplicatedJob()) {
      long total = spec.getReplicatedJob().getTotalCompletions();
      return running
          + "/"
          + desired
          + " ("
          + completed
          + "/"
          + (total == 0 ? spec.getReplicatedJob().getMaxConcurrent() : total)
          + " completed)";
    }
    if (spec.hasGlobalJob()) {
      // Desired counts only the tasks still to complete, so the whole is desired + completed.
      return running
          + "/"
          + desired
          + " ("
          + completed
          + "/"
          + (desired + completed)
          + " completed)";
    }
    long max = spec.getTask().getPlacement().getMaxReplicas();
    if (max > 0 && !spec.hasGlobal()) {
      return running + "/" + desired + " (max " + max + " per node)";
    }
    return running + "/" + desired;
  }

  /**
   * Beyond docker: a service whose update waits in its canary stage says so after its replicas,
   * {@code 6/6 (canary 2/6)}: how many slots the canaries took, of those desired.
   */
  static String canary(Service s, ServiceStatus status) {
    UpdateStatus u = s.getUpdateStatus();
    if (u.getState() != UpdateStatus.UpdateState.CANARY || u.getCanaryPromoted()) {
      return "";
    }
    long desired = status.getDesiredTasks();
    return " (canary "
        + Math.min(s.getSpec().getUpdate().getCanary(), desired)
        + "/"
        + desired
        + ")";
  }

  /** Docker shows images without their digest in lists. */
  static String image(String image) {
    int at = image.indexOf('@');
    return at > 0 ? image.substring(0, at) : image;
  }

  /** Ingress-published ports of the service as docker folds them: {@code *:8080->80/tcp}. */
  static String ports(Service s) {
    return PortRanges.of(s.getEndpoint().getPortsList());
  }

  Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ID", id);
    m.put("Name", name);
    m.put("Mode", mode);
    m.put("Replicas", replicas);
    m.put("Image", image);
    m.put("Ports", ports);
    return m;
  }
}
