package io.corral.testcluster.bench;

import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Shell;
import io.corral.worker.exec.docker.DockerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker Swarm on the local engine for the update benchmark, driven with {@code docker service
 * create/update/rollback/rm} and observed with {@code docker service ps}. Images are not resolved
 * on a registry ({@code --no-resolve-image}): the machine reaches none.
 */
final class UpdateSwarmTarget implements UpdateTarget {

  private static final Duration CLI_TIMEOUT = Duration.ofMinutes(2);

  private final String docker;
  private final DockerClient engine;
  private final String description;
  private final List<String> command;

  /**
   * @param docker the docker CLI
   * @param description e.g. "docker swarm (1-node swarm, engine 20.10.24)"
   * @param command the command of the service's tasks
   */
  UpdateSwarmTarget(String docker, DockerClient engine, String description, List<String> command) {
    this.docker = docker;
    this.engine = engine;
    this.description = description;
    this.command = List.copyOf(command);
  }

  @Override
  public String name() {
    return description;
  }

  @Override
  public void create(
      String service, int replicas, String image, int parallelism, Duration monitor) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "service",
                "create",
                "--detach",
                "--no-resolve-image",
                "--name",
                service,
                "--replicas",
                Integer.toString(replicas)));
    args.addAll(UpdateCorralTarget.updateFlags(parallelism, monitor));
    args.add(image);
    args.addAll(command);
    docker("docker service create", args);
  }

  @Override
  public void update(String service, String image, int parallelism, Duration monitor) {
    List<String> args =
        new ArrayList<>(
            List.of("service", "update", "--detach", "--no-resolve-image", "--image", image));
    args.addAll(UpdateCorralTarget.updateFlags(parallelism, monitor));
    args.add(service);
    docker("docker service update", args);
  }

  @Override
  public void rollback(String service) {
    docker("docker service rollback", List.of("service", "rollback", "--detach", service));
  }

  @Override
  public void remove(String service) {
    docker("docker service rm", List.of("service", "rm", service));
  }

  @Override
  public List<UpdateTaskView> observe(String service, String image) {
    String out =
        docker(
            "docker service ps",
            List.of("service", "ps", "--no-trunc", "--format", UpdateSwarmLines.FORMAT, service));
    try {
      return UpdateSwarmLines.parse(out, image);
    } catch (IllegalArgumentException e) {
      throw new TargetFailure("cannot read docker service ps: " + e.getMessage(), e);
    }
  }

  /** Swarm deletes a removed service at once; its containers stop afterwards. */
  @Override
  public boolean gone(String service) {
    return Engines.noneRunning(engine, SwarmTarget.SERVICE_NAME_LABEL, service);
  }

  private String docker(String what, List<String> args) {
    List<String> all = new ArrayList<>(List.of(docker));
    all.addAll(args);
    CommandResult r;
    try {
      r = Shell.run(all, CLI_TIMEOUT);
    } catch (RuntimeException e) {
      throw new TargetFailure(what + " failed: " + e.getMessage(), e);
    }
    if (!r.ok()) {
      throw TargetFailure.of(what, r);
    }
    return r.stdout();
  }
}
