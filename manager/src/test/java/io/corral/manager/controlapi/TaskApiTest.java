package io.corral.manager.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.Annotations;
import io.corral.api.GetTaskRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.api.Version;
import io.corral.manager.store.InMemoryStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskApiTest {

  private final InMemoryStore store = new InMemoryStore();
  private final TaskApi api = new TaskApi(store);

  @BeforeEach
  void tasks() {
    store.update(
        tx -> {
          tx.create(
              Service.newBuilder()
                  .setId("s1")
                  .setSpecVersion(Version.newBuilder().setIndex(2))
                  .setSpec(
                      ServiceSpec.newBuilder()
                          .setAnnotations(Annotations.newBuilder().setName("web")))
                  .build());
          tx.create(task("aaa111", "s1", "web", 1, "n1", TaskState.RUNNING, 2, "blue"));
          tx.create(task("aaa222", "s1", "web", 2, "n2", TaskState.RUNNING, 1, ""));
          tx.create(task("bbb333", "s1", "web", 1, "n1", TaskState.SHUTDOWN, 1, ""));
          tx.create(task("ccc444", "gone", "old", 1, "n2", TaskState.RUNNING, 2, "blue"));
        });
  }

  private static Task task(
      String id,
      String service,
      String name,
      long slot,
      String node,
      TaskState desired,
      long specVersion,
      String colour) {
    Annotations.Builder a = Annotations.newBuilder().setName(name + "." + slot + "." + id);
    if (!colour.isEmpty()) {
      a.putLabels("colour", colour);
    }
    return Task.newBuilder()
        .setId(id)
        .setServiceId(service)
        .setSlot(slot)
        .setNodeId(node)
        .setDesiredState(desired)
        .setAnnotations(a)
        .setSpecVersion(Version.newBuilder().setIndex(specVersion))
        .setStatus(TaskStatus.newBuilder().setState(TaskState.RUNNING))
        .build();
  }

  private List<String> ids(ListTasksRequest.Filters.Builder f) {
    return api.list(ListTasksRequest.newBuilder().setFilters(f).build()).stream()
        .map(Task::getId)
        .toList();
  }

  @Test
  void everyFilterNarrowsTheList() {
    assertThat(ids(ListTasksRequest.Filters.newBuilder()))
        .containsExactly("aaa111", "aaa222", "bbb333", "ccc444");
    assertThat(ids(ListTasksRequest.Filters.newBuilder().addServiceIds("s1")))
        .containsExactly("aaa111", "aaa222", "bbb333");
    assertThat(ids(ListTasksRequest.Filters.newBuilder().addNodeIds("n2")))
        .containsExactly("aaa222", "ccc444");
    assertThat(
            ids(
                ListTasksRequest.Filters.newBuilder()
                    .addDesiredStates(TaskState.RUNNING)
                    .addServiceIds("s1")))
        .containsExactly("aaa111", "aaa222");
    assertThat(ids(ListTasksRequest.Filters.newBuilder().addSlots(1)))
        .containsExactly("aaa111", "bbb333", "ccc444");
    assertThat(ids(ListTasksRequest.Filters.newBuilder().addIdPrefixes("aaa").addIdPrefixes("ccc")))
        .containsExactly("aaa111", "aaa222", "ccc444");
    assertThat(ids(ListTasksRequest.Filters.newBuilder().addNames("web.1.aaa111")))
        .containsExactly("aaa111");
    assertThat(ids(ListTasksRequest.Filters.newBuilder().addNamePrefixes("web.1.")))
        .containsExactly("aaa111", "bbb333");
    assertThat(ids(ListTasksRequest.Filters.newBuilder().putLabels("colour", "")))
        .containsExactly("aaa111", "ccc444");
    assertThat(ids(ListTasksRequest.Filters.newBuilder().putLabels("colour", "red"))).isEmpty();
    // Up to date: same spec version as its service; a task of a removed service never is.
    assertThat(ids(ListTasksRequest.Filters.newBuilder().setUpToDate(true)))
        .containsExactly("aaa111");
    assertThat(
            ids(
                ListTasksRequest.Filters.newBuilder()
                    .addServiceIds("s1")
                    .addNodeIds("n1")
                    .addDesiredStates(TaskState.SHUTDOWN)))
        .containsExactly("bbb333");
  }

  @Test
  void getFindsATaskByIdOrUniquePrefix() {
    assertThat(api.get(GetTaskRequest.newBuilder().setTaskId("bbb333").build()).getSlot())
        .isEqualTo(1);
    assertThat(api.get(GetTaskRequest.newBuilder().setTaskId("ccc").build()).getId())
        .isEqualTo("ccc444");
    assertThatThrownBy(() -> api.get(GetTaskRequest.newBuilder().setTaskId("aaa").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("ambiguous");
            });
    assertThatThrownBy(() -> api.get(GetTaskRequest.newBuilder().setTaskId("zzz").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).isEqualTo("task zzz not found");
            });
  }
}
