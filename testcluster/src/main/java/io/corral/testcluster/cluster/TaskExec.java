package io.corral.testcluster.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Command lines that run a program inside a running task, as a client in that task would: for the
 * process executor, in the network and mount namespaces of the task's process (so that it sees the
 * task's addresses, routes, VIP rules and resolv.conf, however the executor provides them); for the
 * docker executor, {@code docker exec} in the task's container.
 */
public final class TaskExec {

  private TaskExec() {}

  /**
   * {@code nsenter -t PID -n -m -- COMMAND}, PID being the task process the process executor
   * recorded in {@code DATA/tasks/<id>/launch.properties} ({@code child.pid}).
   */
  public static List<String> inProcessTask(
      TestCluster cluster, String node, String taskId, List<String> command) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "nsenter",
                "-t",
                Long.toString(processTaskPid(cluster.files(node).taskStateDir(), taskId)),
                "-n",
                "-m",
                "--"));
    all.addAll(command);
    return all;
  }

  /** The pid of the task's own process (not its wrapper), as the process executor recorded it. */
  public static long processTaskPid(Path taskStateDir, String taskId) {
    Path launch = taskStateDir.resolve(taskId).resolve("launch.properties");
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(launch)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "task " + taskId + " has no launch record in " + launch + " (not started there?)", e);
    }
    String pid = p.getProperty("child.pid");
    if (pid == null) {
      throw new IllegalStateException(launch + " names no child.pid");
    }
    return Long.parseLong(pid.strip());
  }

  /** {@code docker exec CONTAINER COMMAND}. */
  public static List<String> inContainer(String container, List<String> command) {
    List<String> all = new ArrayList<>(List.of("docker", "exec", container));
    all.addAll(command);
    return all;
  }
}
