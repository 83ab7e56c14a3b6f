package io.corral.manager.dispatcher;

import io.corral.api.Endpoint;
import io.corral.api.NetworkAttachment;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.Service;
import io.corral.api.ServiceEndpoints;
import io.corral.api.Task;
import io.corral.api.TaskEndpoint;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.common.TerminalStates;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What one service on one overlay network looks like to the nodes attached to that network (the
 * {@link ServiceEndpoints} they are sent), and which networks a task makes its node need. Pure.
 */
final class Endpoints {

  private Endpoints() {}

  /**
   * The networks the task holds an address on while it is assigned to its node and not terminated:
   * its node must plumb them, and every other node on them must reach it.
   */
  static Set<String> attachedNetworks(Task task) {
    if (task.getNetworksCount() == 0
        || task.getNodeId().isEmpty()
        || !Assignments.isAssignedTo(task, task.getNodeId())
        || TerminalStates.isTerminal(task.getStatus().getState())) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (NetworkAttachment a : task.getNetworksList()) {
      if (a.getAddressesCount() > 0 && !a.getNetwork().getId().isEmpty()) {
        out.add(a.getNetwork().getId());
      }
    }
    return out;
  }

  /** Every network the task has an attachment to, whatever its state (for invalidation). */
  static Set<String> networkIds(Task task) {
    Set<String> out = new LinkedHashSet<>();
    task.getNetworksList().forEach(a -> out.add(a.getNetwork().getId()));
    out.remove("");
    return out;
  }

  /**
   * May receive traffic (DNS and the VIP): RUNNING, healthy where it has a health check, and still
   * wanted running (a task being stopped leaves the backends before its stop signal).
   */
  static boolean isBackend(Task task) {
    TaskStatus.Health health = task.getStatus().getHealth();
    return task.getStatus().getState() == TaskState.RUNNING
        && (health == TaskStatus.Health.NONE || health == TaskStatus.Health.HEALTHY)
        && task.getDesiredStateValue() <= TaskState.RUNNING_VALUE;
  }

  /**
   * A networked task the managers are stopping: its own node must hear of that only after the other
   * nodes heard it left the backends.
   */
  static boolean isBeingStopped(Task task) {
    return task.getNetworksCount() > 0
        && task.getDesiredStateValue() > TaskState.RUNNING_VALUE
        && !TerminalStates.isTerminal(task.getStatus().getState());
  }

  /**
   * The networks of the service's task template: {@code TaskSpec.networks}, falling back to the
   * older {@code ServiceSpec.networks}.
   */
  static List<NetworkAttachmentConfig> templateNetworks(Service service) {
    List<NetworkAttachmentConfig> task = service.getSpec().getTask().getNetworksList();
    return task.isEmpty() ? service.getSpec().getNetworksList() : task;
  }

  /**
   * The networks a service is on: those of its template, of its virtual IPs, and those its live
   * tasks hold addresses on (tasks created from an older template).
   */
  static Set<String> networksOf(Service service, List<Task> tasks) {
    Set<String> out = new LinkedHashSet<>();
    templateNetworks(service).forEach(n -> out.add(n.getTarget()));
    service.getEndpoint().getVirtualIpsList().forEach(v -> out.add(v.getNetworkId()));
    for (Task t : tasks) {
      if (t.getServiceId().equals(service.getId())) {
        out.addAll(attachedNetworks(t));
      }
    }
    out.remove("");
    return out;
  }

  /**
   * The service's entry on one network, or empty when the service is not on it.
   *
   * @param tasks the service's tasks (others are ignored)
   * @param nodeAddr a node's underlay address by node id ("" when unknown)
   */
  static Optional<ServiceEndpoints> of(
      Service service, String networkId, List<Task> tasks, Function<String, String> nodeAddr) {
    if (!networksOf(service, tasks).contains(networkId)) {
      return Optional.empty();
    }
    ServiceEndpoints.Builder b =
        ServiceEndpoints.newBuilder()
            .setServiceId(service.getId())
            .setServiceName(service.getSpec().getAnnotations().getName())
            .setNetworkId(networkId)
            .setMode(service.getSpec().getEndpoint().getMode())
            .addAllPorts(service.getEndpoint().getPortsList());
    for (Endpoint.VirtualIP vip : service.getEndpoint().getVirtualIpsList()) {
      if (vip.getNetworkId().equals(networkId)) {
        b.setVirtualIp(vip.getAddr());
        break;
      }
    }
    for (NetworkAttachmentConfig n : templateNetworks(service)) {
      if (n.getTarget().equals(networkId)) {
        b.addAllAliases(n.getAliasesList());
      }
    }
    // Sorted by task id: an unchanged service gives an equal message, so nothing is re-sent.
    List<Task> sorted =
        tasks.stream()
            .filter(t -> t.getServiceId().equals(service.getId()))
            .filter(t -> attachedNetworks(t).contains(networkId))
            .sorted(Comparator.comparing(Task::getId))
            .toList();
    for (Task t : sorted) {
      TaskEndpoint e = taskEndpoint(service, t, networkId, nodeAddr);
      b.addAttached(e);
      if (isBackend(t)) {
        b.addTasks(e);
      }
    }
    return Optional.of(b.build());
  }

  private static TaskEndpoint taskEndpoint(
      Service service, Task t, String networkId, Function<String, String> nodeAddr) {
    String address = "";
    for (NetworkAttachment a : t.getNetworksList()) {
      if (a.getNetwork().getId().equals(networkId) && a.getAddressesCount() > 0) {
        address = a.getAddresses(0);
        break;
      }
    }
    String name = t.getAnnotations().getName();
    if (name.isEmpty()) {
      // docker's task name: "<service>.<slot, or node id for a global task>.<task id>"
      name =
          service.getSpec().getAnnotations().getName()
              + "."
              + (t.getSlot() == 0 ? t.getNodeId() : Long.toString(t.getSlot()))
              + "."
              + t.getId();
    }
    return TaskEndpoint.newBuilder()
        .setTaskId(t.getId())
        .setNodeId(t.getNodeId())
        .setNodeAddr(nodeAddr.apply(t.getNodeId()))
        .setAddress(address)
        .setSlot(t.getSlot())
        .setName(name)
        .build();
  }
}
