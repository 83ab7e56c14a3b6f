package io.corral.testcluster.scenario;

import io.corral.api.Task;
import io.corral.testcluster.NeedsRoot;
import io.corral.testcluster.cluster.ExampleImages;
import io.corral.testcluster.cluster.TaskExec;
import java.util.List;

/**
 * The overlay-network scenarios with the process executor: tasks run {@code example/web:1} (busybox
 * httpd, see {@link ExampleImages#WEB}) in their own network namespaces, and client commands run in
 * the namespaces of the task's process ({@code nsenter -t PID -n -m}).
 */
@NeedsRoot
class ProcessNetworkScenarioTest extends NetworkScenarios {

  @Override
  List<String> executorOptions() {
    return List.of("--executor", "process");
  }

  @Override
  void prepareImages() {
    ExampleImages.write(cluster);
  }

  @Override
  String webImage() {
    return ExampleImages.WEB;
  }

  @Override
  List<String> inTask(Task task, String node, List<String> command) {
    return TaskExec.inProcessTask(cluster, node, task.getId(), command);
  }
}
