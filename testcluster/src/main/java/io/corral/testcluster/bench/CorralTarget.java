package io.corral.testcluster.bench;

import io.corral.api.ControlGrpc;
import io.corral.api.ListServicesRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.cli.DaemonChannels;
import io.corral.testcluster.cluster.TestCluster;
import io.corral.testcluster.net.CommandResult;
import io.corral.worker.exec.docker.ContainerConfigs;
import io.corral.worker.exec.docker.DockerClient;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Corral on a testcluster: services are created, scaled and removed with the {@code corral} CLI on
 * the first manager, as a user would, and observed through its daemon's control API (ListTasks of
 * the service).
 */
final class CorralTarget implements ConvergeTarget, AutoCloseable {

  private static final String NODE = "m1";

  private final TestCluster cluster;
  private final String executor;
  private final List<String> imageAndCommand;
  private final Optional<DockerClient> engine;
  private final ManagedChannel channel;
  private final Map<String, String> serviceIds = new HashMap<>();

  /**
   * @param imageAndCommand the image, then the command (if any) of the service's tasks
   * @param engine the Docker engine the executor uses, to check that removed services left no
   *     container running
   */
  CorralTarget(
      TestCluster cluster,
      String executor,
      List<String> imageAndCommand,
      Optional<DockerClient> engine) {
    this.cluster = cluster;
    this.executor = executor;
    this.imageAndCommand = List.copyOf(imageAndCommand);
    this.engine = engine;
    this.channel = DaemonChannels.open(cluster.socket(NODE).toString());
  }

  @Override
  public String name() {
    return "corral (" + executor + " executor)";
  }

  @Override
  public void create(String service, int replicas) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "service",
                "create",
                "-d",
                "--name",
                service,
                "--replicas",
                Integer.toString(replicas)));
    if (imageAndCommand.size() > 1) {
      args.add("--"); // the task's command has options of its own (sh -c ...)
    }
    args.addAll(imageAndCommand);
    corral("corral service create", args);
    serviceIds.put(
        service,
        serviceId(service)
            .orElseThrow(
                () ->
                    new TargetFailure(
                        "corral service create "
                            + service
                            + " succeeded but the control API lists no such service")));
  }

  @Override
  public void scale(String service, int replicas) {
    corral("corral service scale", List.of("service", "scale", "-d", service + "=" + replicas));
  }

  @Override
  public void remove(String service) {
    corral("corral service rm", List.of("service", "rm", service));
  }

  @Override
  public ReplicaCount observe(String service) {
    String id = serviceIds.get(service);
    if (id == null) {
      throw new TargetFailure("service " + service + " was not created by this benchmark");
    }
    return ReplicaCount.of(tasks(id).stream().map(TaskObservation::of).toList());
  }

  /**
   * The service is deleted, none of its tasks is still running, and (docker) none of its containers
   * runs.
   */
  @Override
  public boolean gone(String service) {
    if (serviceId(service).isPresent()) {
      return false;
    }
    String id = serviceIds.get(service);
    if (id == null) {
      return true;
    }
    boolean tasksEnded =
        tasks(id).stream().map(TaskObservation::of).allMatch(TaskObservation::hasEnded);
    return tasksEnded
        && engine
            .map(e -> Engines.noneRunning(e, ContainerConfigs.LABEL_SERVICE_ID, id))
            .orElse(true);
  }

  /**
   * Force-removes the containers of this benchmark's services that are still on the engine (the
   * executor's exited containers, or running ones of daemons that were killed). Call after the
   * cluster is down.
   */
  void removeLeftoverContainers() {
    engine.ifPresent(
        e ->
            serviceIds
                .values()
                .forEach(id -> Engines.removeAll(e, ContainerConfigs.LABEL_SERVICE_ID, id)));
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  private void corral(String what, List<String> args) {
    CommandResult r;
    try {
      r = cluster.corral(NODE, args.toArray(String[]::new));
    } catch (RuntimeException e) { // e.g. the CLI hung for 2 minutes and was killed
      throw new TargetFailure(what + " failed: " + e.getMessage(), e);
    }
    if (!r.ok()) {
      throw TargetFailure.of(what, r);
    }
  }

  private Optional<String> serviceId(String name) {
    try {
      return control()
          .listServices(
              ListServicesRequest.newBuilder()
                  .setFilters(ListServicesRequest.Filters.newBuilder().addNames(name))
                  .build())
          .getServicesList()
          .stream()
          .filter(s -> s.getSpec().getAnnotations().getName().equals(name))
          .map(Service::getId)
          .findFirst();
    } catch (StatusRuntimeException e) {
      throw new TargetFailure("ListServices on " + NODE + " failed: " + e.getStatus(), e);
    }
  }

  private List<Task> tasks(String serviceId) {
    try {
      return control()
          .listTasks(
              ListTasksRequest.newBuilder()
                  .setFilters(ListTasksRequest.Filters.newBuilder().addServiceIds(serviceId))
                  .build())
          .getTasksList();
    } catch (StatusRuntimeException e) {
      throw new TargetFailure("ListTasks on " + NODE + " failed: " + e.getStatus(), e);
    }
  }

  private ControlGrpc.ControlBlockingStub control() {
    return ControlGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
