package io.corral.testcluster.bench;

import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Shell;
import io.corral.worker.exec.docker.DockerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker Swarm on the local engine, driven with the docker CLI ({@code docker service
 * create/scale/rm}) and observed with {@code docker service ps}. Images are not resolved on a
 * registry ({@code --no-resolve-image}): the machine reaches none, and Corral does not ask one
 * either.
 */
final class SwarmTarget implements ConvergeTarget {

  static final String SERVICE_NAME_LABEL = "com.docker.swarm.service.name";
  private static final Duration CLI_TIMEOUT = Duration.ofMinutes(2);

  private final String docker;
  private final DockerClient engine;
  private final String description;
  private final List<String> imageAndCommand;

  /**
   * @param docker the docker CLI
   * @param description e.g. "docker swarm (1-node swarm, engine 20.10.24)"
   * @param imageAndCommand the image, then the command of the service's tasks
   */
  SwarmTarget(
      String docker, DockerClient engine, String description, List<String> imageAndCommand) {
    this.docker = docker;
    this.engine = engine;
    this.description = description;
    this.imageAndCommand = List.copyOf(imageAndCommand);
  }

  @Override
  public String name() {
    return description;
  }

  @Override
  public void create(String service, int replicas) {
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
    args.addAll(imageAndCommand);
    docker("docker service create", args);
  }

  @Override
  public void scale(String service, int replicas) {
    docker(
        "docker service scale", List.of("service", "scale", "--detach", service + "=" + replicas));
  }

  @Override
  public void remove(String service) {
    docker("docker service rm", List.of("service", "rm", service));
  }

  @Override
  public ReplicaCount observe(String service) {
    String out =
        docker(
            "docker service ps",
            List.of("service", "ps", "--format", SwarmTaskLines.FORMAT, service));
    try {
      return ReplicaCount.of(SwarmTaskLines.parse(out));
    } catch (IllegalArgumentException e) {
      throw new TargetFailure("cannot read docker service ps: " + e.getMessage(), e);
    }
  }

  /** Swarm deletes a removed service at once; its containers stop afterwards. */
  @Override
  public boolean gone(String service) {
    return Engines.noneRunning(engine, SERVICE_NAME_LABEL, service);
  }

  private String docker(String what, List<String> args) {
    List<String> command = new ArrayList<>(List.of(docker));
    command.addAll(args);
    CommandResult r;
    try {
      r = Shell.run(command, CLI_TIMEOUT);
    } catch (RuntimeException e) {
      throw new TargetFailure(what + " failed: " + e.getMessage(), e);
    }
    if (!r.ok()) {
      throw TargetFailure.of(what, r);
    }
    return r.stdout();
  }
}
