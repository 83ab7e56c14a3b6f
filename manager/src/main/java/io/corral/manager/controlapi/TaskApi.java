package io.corral.manager.controlapi;

import io.corral.api.GetTaskRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The task half of the Control API: `service ps`, `node ps`, `inspect TASK`. Read-only: tasks are
 * written by the orchestrators, the scheduler and the agents. A task is named by its id or a unique
 * id prefix.
 */
final class TaskApi {

  private final Store store;

  TaskApi(Store store) {
    this.store = store;
  }

  Task get(GetTaskRequest request) {
    return store.view(tx -> References.find(tx, ObjectKind.TASK, request.getTaskId()));
  }

  List<Task> list(ListTasksRequest request) {
    ListTasksRequest.Filters f = request.getFilters();
    return store.view(
        tx -> {
          Map<String, Service> services =
              f.getUpToDate()
                  ? tx.list(ObjectKind.SERVICE).stream()
                      .collect(Collectors.toMap(Service::getId, Function.identity()))
                  : Map.of();
          // The store indexes tasks by service and by node: start from the narrowest set a filter
          // allows.
          List<Task> candidates;
          if (!f.getServiceIdsList().isEmpty()) {
            candidates =
                f.getServiceIdsList().stream()
                    .distinct()
                    .flatMap(id -> tx.tasksOfService(id).stream())
                    .toList();
          } else if (!f.getNodeIdsList().isEmpty()) {
            candidates =
                f.getNodeIdsList().stream()
                    .distinct()
                    .flatMap(id -> tx.tasksOnNode(id).stream())
                    .toList();
          } else {
            candidates = tx.list(ObjectKind.TASK);
          }
          return candidates.stream()
              .filter(ListFilters.tasks(f, services))
              .sorted(Comparator.comparing(Task::getId))
              .toList();
        });
  }
}
