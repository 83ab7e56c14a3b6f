package io.corral.manager.controlapi;

import static io.corral.manager.controlapi.ServiceSpecValidatorTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.CreateServiceRequest;
import io.corral.api.CreateServiceResponse;
import io.corral.api.GetServiceRequest;
import io.corral.api.GetServiceResponse;
import io.corral.api.GetTaskRequest;
import io.corral.api.GetTaskResponse;
import io.corral.api.ListServiceStatusesRequest;
import io.corral.api.ListServiceStatusesResponse;
import io.corral.api.ListServicesRequest;
import io.corral.api.ListServicesResponse;
import io.corral.api.ListTasksRequest;
import io.corral.api.ListTasksResponse;
import io.corral.api.Placement;
import io.corral.api.RemoveServiceRequest;
import io.corral.api.RemoveServiceResponse;
import io.corral.api.ReplicatedService;
import io.corral.api.UpdateServiceRequest;
import io.corral.api.UpdateServiceResponse;
import io.corral.manager.store.InMemoryStore;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gRPC face of the service and task calls: answers, and failures as statuses a CLI can print.
 */
class ControlServiceServicesTest {

  private final InMemoryStore store = new InMemoryStore();
  // No log broker: these tests do not ask for logs.
  private final ControlService control =
      new ControlService(store, new NodeApiTest.FakeRaft(), null);

  /** Records what a call answered. */
  static final class Answer<T> implements StreamObserver<T> {
    final List<T> values = new ArrayList<>();
    Status error;
    boolean completed;

    @Override
    public void onNext(T value) {
      values.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = Status.fromThrowable(t);
    }

    @Override
    public void onCompleted() {
      completed = true;
    }
  }

  @Test
  void serviceCallsAnswerThroughTheControlService() {
    Answer<CreateServiceResponse> created = new Answer<>();
    control.createService(
        CreateServiceRequest.newBuilder()
            .setSpec(spec("web").setReplicated(ReplicatedService.newBuilder().setReplicas(2)))
            .build(),
        created);
    assertThat(created.completed).isTrue();
    String id = created.values.get(0).getService().getId();

    Answer<GetServiceResponse> got = new Answer<>();
    control.getService(GetServiceRequest.newBuilder().setServiceId("web").build(), got);
    assertThat(got.values.get(0).getService().getId()).isEqualTo(id);

    Answer<ListServicesResponse> listed = new Answer<>();
    control.listServices(ListServicesRequest.getDefaultInstance(), listed);
    assertThat(listed.values.get(0).getServicesCount()).isEqualTo(1);

    Answer<UpdateServiceResponse> updated = new Answer<>();
    control.updateService(
        UpdateServiceRequest.newBuilder()
            .setServiceId(id)
            .setSpec(spec("web").setReplicated(ReplicatedService.newBuilder().setReplicas(6)))
            .build(),
        updated);
    assertThat(updated.values.get(0).getService().getSpec().getReplicated().getReplicas())
        .isEqualTo(6);

    Answer<ListServiceStatusesResponse> statuses = new Answer<>();
    control.listServiceStatuses(
        ListServiceStatusesRequest.newBuilder().addServices(id).build(), statuses);
    assertThat(statuses.values.get(0).getStatuses(0).getDesiredTasks()).isEqualTo(6);

    Answer<ListTasksResponse> tasks = new Answer<>();
    control.listTasks(ListTasksRequest.getDefaultInstance(), tasks);
    assertThat(tasks.values.get(0).getTasksCount()).isZero();

    Answer<RemoveServiceResponse> removed = new Answer<>();
    control.removeService(RemoveServiceRequest.newBuilder().setServiceId(id).build(), removed);
    assertThat(removed.completed).isTrue();
  }

  @Test
  void badInputIsAnInvalidArgumentNamingTheFieldAndUnknownIdsAreNotFound() {
    Answer<CreateServiceResponse> bad = new Answer<>();
    control.createService(
        CreateServiceRequest.newBuilder()
            .setSpec(
                spec("web")
                    .setTask(
                        spec("web").getTask().toBuilder()
                            .setPlacement(
                                Placement.newBuilder().addConstraints("node.role=manager"))))
            .build(),
        bad);
    assertThat(bad.error.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(bad.error.getDescription())
        .startsWith("spec.task_template.placement.constraints[0]: ");

    Answer<GetServiceResponse> missing = new Answer<>();
    control.getService(GetServiceRequest.newBuilder().setServiceId("x1").build(), missing);
    assertThat(missing.error.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missing.error.getDescription()).isEqualTo("service x1 not found");

    Answer<GetTaskResponse> noTask = new Answer<>();
    control.getTask(GetTaskRequest.newBuilder().setTaskId("t9").build(), noTask);
    assertThat(noTask.error.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(noTask.error.getDescription()).isEqualTo("task t9 not found");

    Answer<RemoveServiceResponse> noService = new Answer<>();
    control.removeService(RemoveServiceRequest.newBuilder().setServiceId("x1").build(), noService);
    assertThat(noService.error.getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }
}
