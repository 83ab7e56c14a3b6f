package io.corral.worker;

import io.corral.worker.agent.TaskLifecycle;
import io.corral.worker.agent.TaskRuntime;
import io.corral.worker.exec.docker.ContainerConfigs;
import io.corral.worker.exec.docker.DockerBackend;
import io.corral.worker.exec.docker.DockerClient;
import io.corral.worker.exec.process.ProcessBackend;
import io.corral.worker.network.Commands;
import io.corral.worker.network.EndpointTable;
import io.corral.worker.network.NetworkListener;
import io.corral.worker.network.OverlayDataPath;
import io.corral.worker.network.ProcessNamespaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor a node runs tasks with, chosen by {@code --executor}: {@code docker} (containers
 * through the local engine), {@code process} (host processes from the image root), or {@code auto}:
 * docker when an engine answers on its socket, processes otherwise. Either way the tasks go through
 * the one {@link TaskLifecycle}.
 */
public record TaskExecutor(
    String name, TaskRuntime runtime, AutoCloseable resources, Runnable removeAll)
    implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TaskExecutor.class);

  /** Overlay networking as the executor needs it: the endpoint table and the node's addresses. */
  public record Networking(EndpointTable endpoints, String underlayAddr, NetworkListener listener) {
    /** No endpoint table nor underlay address: tasks on networks are rejected with the reason. */
    public static Networking none() {
      return new Networking(new EndpointTable(), "", NetworkListener.NONE);
    }
  }

  public static TaskExecutor choose(String choice, Path dataDir, Path imageRoot, String nodeId) {
    return choose(choice, dataDir, imageRoot, nodeId, Networking.none());
  }

  public static TaskExecutor choose(
      String choice, Path dataDir, Path imageRoot, String nodeId, Networking networking) {
    String c = choice.toLowerCase(Locale.ROOT);
    if (c.equals("docker") || c.equals("auto")) {
      DockerClient docker = new DockerClient(DockerClient.DEFAULT_SOCKET, Duration.ofSeconds(30));
      if (docker.ping()) {
        LOG.info("running tasks as containers of the Docker engine at {}", docker.socket());
        return docker(docker, dataDir, nodeId, networking);
      }
      if (c.equals("docker")) {
        // Tasks wait (the agent retries) rather than silently running as processes the user did not
        // ask for.
        LOG.error(
            "--executor docker: no Docker engine answers at {}; tasks will be rejected until one does",
            DockerClient.DEFAULT_SOCKET);
        return docker(docker, dataDir, nodeId, networking);
      }
      docker.close();
    }
    LOG.info("running tasks as host processes (images under {})", imageRoot);
    Path stateDir = dataDir.resolve("tasks");
    Commands cmd = Commands.local();
    OverlayDataPath overlay =
        OverlayDataPath.start(
            cmd,
            networking.endpoints(),
            nodeId,
            networking.underlayAddr(),
            new ProcessNamespaces(cmd, id -> ProcessBackend.runningPid(stateDir, id)),
            dataDir.resolve("networks"),
            networking.listener());
    TaskLifecycle<?> runtime =
        new TaskLifecycle<>(new ProcessBackend(imageRoot, stateDir), List.of(overlay.preparer()));
    // Closing stops watching; the task processes (and their namespaces) keep running for the next
    // daemon to adopt.
    return new TaskExecutor(
        "process",
        runtime,
        () -> {
          runtime.close();
          overlay.close();
        },
        () -> {
          int killed = ProcessBackend.removeAll(stateDir);
          LOG.info("killed {} task process(es) of this node", killed);
          overlay.removeAll();
        });
  }

  private static TaskExecutor docker(
      DockerClient client, Path dataDir, String nodeId, Networking networking) {
    DockerBackend backend = new DockerBackend(client, nodeId);
    // A networked task's namespace is its sandbox container's (SandboxNamespaces), plumbed by the
    // same overlay data path as the process executor's before the task's container is created.
    OverlayDataPath overlay =
        OverlayDataPath.start(
            Commands.local(),
            networking.endpoints(),
            nodeId,
            networking.underlayAddr(),
            backend.namespaces(),
            dataDir.resolve("networks"),
            networking.listener());
    TaskLifecycle<?> runtime = new TaskLifecycle<>(backend, List.of(overlay.preparer()));
    // The runtime first (it stops watching), then the data path and the client it uses; containers
    // (and their sandboxes' namespaces) keep running for adoption.
    return new TaskExecutor(
        "docker",
        runtime,
        () -> {
          runtime.close();
          overlay.close();
          client.close();
        },
        () -> {
          // The sandboxes first: releasing one also deletes its namespace's name.
          LOG.info(
              "released {} network sandbox(es) of this node", backend.namespaces().releaseAll());
          removeContainers(client, nodeId).run();
          overlay.removeAll();
        });
  }

  /**
   * The node's containers, whatever their state: those labelled with its id (others may share the
   * engine).
   */
  private static Runnable removeContainers(DockerClient docker, String nodeId) {
    return () -> {
      var containers = docker.listContainers(Map.of(ContainerConfigs.LABEL_NODE_ID, nodeId));
      containers.forEach(c -> docker.removeContainer(c.id(), true));
      LOG.info("removed {} container(s) of this node", containers.size());
    };
  }

  /** Removes every task this node ran, without waiting for their grace periods (`swarm leave`). */
  public void removeAllTasks() {
    try {
      removeAll.run();
    } catch (RuntimeException e) {
      LOG.warn("could not remove every task of this node: {}", e.toString());
    }
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      LOG.debug("closing the executor: {}", e.toString());
    }
  }
}
