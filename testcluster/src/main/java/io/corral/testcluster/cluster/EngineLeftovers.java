package io.corral.testcluster.cluster;

import io.corral.testcluster.net.CommandFailedException;
import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Shell;
import io.corral.worker.exec.docker.ContainerConfigs;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Docker engine's containers (task and sandbox), volumes and networks labelled with one of a
 * test cluster's node ids ({@code io.corral.node.id}), found and removed with the docker CLI. They
 * live in dockerd, outside the cluster's namespaces, and outlive a killed node's daemon. Without a
 * docker CLI or an engine there is nothing to do.
 */
final class EngineLeftovers {

  static final String NODE_LABEL = ContainerConfigs.LABEL_NODE_ID;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * One kind of engine object: how to list it (with its name and node label) and how to remove it.
   */
  private enum Kind {
    CONTAINERS(List.of("ps", "-a"), "{{.ID}}\t{{.Names}}", List.of("rm", "-f", "-v")),
    VOLUMES(List.of("volume", "ls"), "{{.Name}}\t{{.Name}}", List.of("volume", "rm", "-f")),
    NETWORKS(List.of("network", "ls"), "{{.ID}}\t{{.Name}}", List.of("network", "rm"));

    final List<String> list;
    final String format;
    final List<String> remove;

    Kind(List<String> list, String format, List<String> remove) {
      this.list = list;
      this.format = format;
      this.remove = remove;
    }
  }

  /** Names of what was removed, per kind. */
  record Removed(List<String> containers, List<String> volumes, List<String> networks) {
    static final Removed NONE = new Removed(List.of(), List.of(), List.of());
  }

  private EngineLeftovers() {}

  /**
   * Removes every container (first: they hold the volumes and networks), volume and network
   * labelled with one of {@code nodeIds}; nothing of other clusters or of the user, which carry
   * other ids or none.
   */
  static Removed remove(Set<String> nodeIds) {
    if (nodeIds.isEmpty()) {
      return Removed.NONE;
    }
    List<String> containers = remove(Kind.CONTAINERS, nodeIds);
    if (containers == null) {
      return Removed.NONE; // no engine
    }
    List<String> volumes = remove(Kind.VOLUMES, nodeIds);
    List<String> networks = remove(Kind.NETWORKS, nodeIds);
    return new Removed(
        containers, volumes == null ? List.of() : volumes, networks == null ? List.of() : networks);
  }

  /** Names of the containers labelled with one of {@code nodeIds}; empty without an engine. */
  static List<String> containers(Set<String> nodeIds) {
    List<String[]> found = list(Kind.CONTAINERS, nodeIds);
    return found == null ? List.of() : found.stream().map(f -> f[1]).toList();
  }

  /** The names removed, or null when no engine answers. */
  private static List<String> remove(Kind kind, Set<String> nodeIds) {
    List<String[]> found = list(kind, nodeIds);
    if (found == null || found.isEmpty()) {
      return found == null ? null : List.of();
    }
    List<String> command = new ArrayList<>(kind.remove);
    found.forEach(f -> command.add(f[0]));
    // Whatever it says (an object may have gone meanwhile: "No such container"), what is left
    // decides.
    CommandResult removal = run(command);
    List<String[]> left = list(kind, nodeIds);
    if (left != null && !left.isEmpty()) {
      throw new IllegalStateException(
          "docker "
              + String.join(" ", kind.remove)
              + " left "
              + left.stream().map(f -> f[1]).toList()
              + " of this cluster's nodes in the engine ("
              + (removal == null ? "no engine" : removal.stderr().strip())
              + "); remove them by hand");
    }
    return found.stream().map(f -> f[1]).toList();
  }

  /**
   * [id, name] of each object of {@code kind} labelled with one of {@code nodeIds}, or null when no
   * engine answers.
   */
  private static List<String[]> list(Kind kind, Set<String> nodeIds) {
    List<String> command = new ArrayList<>(kind.list);
    command.addAll(
        List.of(
            "--filter",
            "label=" + NODE_LABEL,
            "--format",
            kind.format + "\t{{.Label \"" + NODE_LABEL + "\"}}"));
    CommandResult r = docker(command);
    if (r == null) {
      return null;
    }
    List<String[]> found = new ArrayList<>();
    for (String line : r.stdout().lines().toList()) {
      String[] f = line.split("\t", -1);
      if (f.length == 3 && nodeIds.contains(f[2].strip())) {
        found.add(f);
      }
    }
    return found;
  }

  /**
   * Runs {@code docker ARGS}; null when there is no docker CLI or no engine answers it, and throws
   * if it fails.
   */
  private static CommandResult docker(List<String> args) {
    CommandResult r = run(args);
    if (r != null && !r.ok()) {
      String err = r.stderr();
      if (err.contains("Cannot connect to the Docker daemon")
          || err.contains("Is the docker daemon running")) {
        return null;
      }
      throw new CommandFailedException("cannot list the engine objects of the cluster's nodes", r);
    }
    return r;
  }

  /** Runs {@code docker ARGS} whatever it exits with; null when there is no docker CLI. */
  private static CommandResult run(List<String> args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(args);
    try {
      return Shell.run(command, TIMEOUT);
    } catch (UncheckedIOException e) {
      return null; // no docker CLI: no engine either, as far as this harness can tell
    }
  }
}
