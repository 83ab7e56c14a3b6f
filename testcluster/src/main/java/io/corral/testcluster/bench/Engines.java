package io.corral.testcluster.bench;

import io.corral.worker.exec.docker.ContainerSummary;
import io.corral.worker.exec.docker.DockerClient;
import io.corral.worker.exec.docker.EngineException;
import java.util.List;
import java.util.Map;

/**
 * Container checks on the local Docker engine, with its errors turned into {@link TargetFailure}s.
 */
final class Engines {

  private Engines() {}

  /** No running container carries label {@code key=value}. */
  static boolean noneRunning(DockerClient engine, String key, String value) {
    try {
      return engine.listContainers(Map.of(key, value)).stream()
          .noneMatch(c -> c.state().equals("running"));
    } catch (EngineException e) {
      throw new TargetFailure(
          "listing containers labelled " + key + "=" + value + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Force-removes every container labelled {@code key=value}; one that cannot be removed does not
   * keep the others (an overloaded engine times out on some), and the failure names how many were
   * left.
   */
  static void removeAll(DockerClient engine, String key, String value) {
    List<ContainerSummary> containers;
    try {
      containers = engine.listContainers(Map.of(key, value));
    } catch (EngineException e) {
      throw new TargetFailure(
          "listing containers labelled " + key + "=" + value + " failed: " + e.getMessage(), e);
    }
    int failed = 0;
    EngineException last = null;
    for (ContainerSummary c : containers) {
      try {
        engine.removeContainer(c.id(), true);
      } catch (EngineException e) {
        failed++;
        last = e;
      }
    }
    if (last != null) {
      throw new TargetFailure(
          failed
              + " of "
              + containers.size()
              + " containers labelled "
              + key
              + "="
              + value
              + " could not be removed (last error: "
              + last.getMessage()
              + ")",
          last);
    }
  }
}
