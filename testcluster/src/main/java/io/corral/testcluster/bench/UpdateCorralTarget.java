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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Corral on a testcluster for the update benchmark: services are created, updated, rolled back and
 * removed with the {@code corral} CLI on the first manager, as a user would, and observed through
 * its daemon's control API. A task is on the new spec when its spec_version is the service's and
 * the service's image is the one the step moves to.
 */
final class UpdateCorralTarget implements UpdateTarget, AutoCloseable {

  private static final String NODE = "m1";

  private final TestCluster cluster;
  private final String executor;
  private final List<String> command;
  private final Optional<DockerClient> engine;
  private final ManagedChannel channel;
  private final Map<String, String> serviceIds = new HashMap<>();

  /**
   * @param command the command of the service's tasks (empty: the image's own)
   * @param engine the Docker engine the executor uses, to check that removed services left no
   *     container running
   */
  UpdateCorralTarget(
      TestCluster cluster, String executor, List<String> command, Optional<DockerClient> engine) {
    this.cluster = cluster;
    this.executor = executor;
    this.command = List.copyOf(command);
    this.engine = engine;
    this.channel = DaemonChannels.open(cluster.socket(NODE).toString());
  }

  /** The update and rollback configs of the benchmark, as docker's (and corral's) CLI flags. */
  static List<String> updateFlags(int parallelism, Duration monitor) {
    String p = Integer.toString(parallelism);
    String m = UpdateTarget.goDuration(monitor);
    return List.of(
        "--update-parallelism",
        p,
        "--update-delay",
        "0s",
        "--update-monitor",
        m,
        "--rollback-parallelism",
        p,
        "--rollback-monitor",
        m);
  }

  @Override
  public String name() {
    return "corral (" + executor + " executor)";
  }

  @Override
  public void create(
      String service, int replicas, String image, int parallelism, Duration monitor) {
    List<String> args =
        new ArrayList<>(
            List.of("service", "create", "-d", "--name", service, "--replicas", "" + replicas));
    args.addAll(updateFlags(parallelism, monitor));
    if (!command.isEmpty()) {
      args.add("--"); // the task's command has options of its own (sh -c ...)
    }
    args.add(image);
    args.addAll(command);
    corral("corral service create", args);
    serviceIds.put(
        service,
        service(service)
            .map(Service::getId)
            .orElseThrow(
                () ->
                    new TargetFailure(
                        "corral service create "
                            + service
                            + " succeeded but the control API lists no such service")));
  }

  @Override
  public void update(String service, String image, int parallelism, Duration monitor) {
    List<String> args = new ArrayList<>(List.of("service", "update", "--detach", "--image", image));
    args.addAll(updateFlags(parallelism, monitor));
    args.add(service);
    corral("corral service update", args);
  }

  @Override
  public void rollback(String service) {
    corral("corral service rollback", List.of("service", "rollback", "--detach", service));
  }

  @Override
  public void remove(String service) {
    corral("corral service rm", List.of("service", "rm", service));
  }

  @Override
  public List<UpdateTaskView> observe(String service, String image) {
    Service s =
        service(service)
            .orElseThrow(() -> new TargetFailure("the control API lists no service " + service));
    boolean serviceMoved = s.getSpec().getTask().getContainer().getImage().equals(image);
    long version = s.getSpecVersion().getIndex();
    return tasks(s.getId()).stream()
        .map(
            t ->
                new UpdateTaskView(
                    t.getDesiredState(),
                    t.getStatus().getState(),
                    serviceMoved && t.getSpecVersion().getIndex() == version))
        .toList();
  }

  /**
   * The service is deleted, none of its tasks is still running, and (docker) none of its containers
   * runs.
   */
  @Override
  public boolean gone(String service) {
    if (service(service).isPresent()) {
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
   * Force-removes the containers of this benchmark's services still on the engine. Call after the
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

  private Optional<Service> service(String name) {
    try {
      return control()
          .listServices(
              ListServicesRequest.newBuilder()
                  .setFilters(ListServicesRequest.Filters.newBuilder().addNames(name))
                  .build())
          .getServicesList()
          .stream()
          .filter(s -> s.getSpec().getAnnotations().getName().equals(name))
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
