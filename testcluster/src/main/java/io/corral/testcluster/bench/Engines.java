package io.corral.testcluster.bench;

import io.corral.worker.exec.docker.DockerClient;
import io.corral.worker.exec.docker.EngineException;
import java.util.Map;

/** Container checks on the local Docker engine, with its errors turned into {@link TargetFailure}s. */
final class Engines {

  private Engines() {
  }

  /** No running container carries label {@code key=value}. */
  static boolean noneRunning(DockerClient engine, String key, String value) {
    try {
      return engine.listContainers(Map.of(key, value)).stream().noneMatch(c -> c.state().equals("running"));
    } catch (EngineException e) {
      throw new TargetFailure("listing containers labelled " + key + "=" + value + " failed: " + e.getMessage(), e);
    }
  }

  /** Force-removes every container labelled {@code key=value}. */
  static void removeAll(DockerClient engine, String key, String value) {
    try {
      engine.listContainers(Map.of(key, value)).forEach(c -> engine.removeContainer(c.id(), true));
    } catch (EngineException e) {
      throw new TargetFailure("removing containers labelled " + key + "=" + value + " failed: " + e.getMessage(),
          e);
    }
  }
}
