package io.corral.manager.controlapi;

import io.corral.api.ControlGrpc;
import io.corral.api.CreateNetworkRequest;
import io.corral.api.CreateNetworkResponse;
import io.corral.api.CreateServiceRequest;
import io.corral.api.CreateServiceResponse;
import io.corral.api.GetClusterRequest;
import io.corral.api.GetClusterResponse;
import io.corral.api.GetNetworkRequest;
import io.corral.api.GetNetworkResponse;
import io.corral.api.GetNodeRequest;
import io.corral.api.GetNodeResponse;
import io.corral.api.GetServiceRequest;
import io.corral.api.GetServiceResponse;
import io.corral.api.GetTaskRequest;
import io.corral.api.GetTaskResponse;
import io.corral.api.ListClustersRequest;
import io.corral.api.ListClustersResponse;
import io.corral.api.ListNetworksRequest;
import io.corral.api.ListNetworksResponse;
import io.corral.api.ListNodesRequest;
import io.corral.api.ListNodesResponse;
import io.corral.api.ListServiceStatusesRequest;
import io.corral.api.ListServiceStatusesResponse;
import io.corral.api.ListServicesRequest;
import io.corral.api.ListServicesResponse;
import io.corral.api.ListTasksRequest;
import io.corral.api.ListTasksResponse;
import io.corral.api.LogMessage;
import io.corral.api.PromoteServiceRequest;
import io.corral.api.PromoteServiceResponse;
import io.corral.api.RemoveNetworkRequest;
import io.corral.api.RemoveNetworkResponse;
import io.corral.api.RemoveNodeRequest;
import io.corral.api.RemoveNodeResponse;
import io.corral.api.RemoveServiceRequest;
import io.corral.api.RemoveServiceResponse;
import io.corral.api.ServiceLogsRequest;
import io.corral.api.UpdateClusterRequest;
import io.corral.api.UpdateClusterResponse;
import io.corral.api.UpdateNodeRequest;
import io.corral.api.UpdateNodeResponse;
import io.corral.api.UpdateServiceRequest;
import io.corral.api.UpdateServiceResponse;
import io.corral.manager.logbroker.ServiceLogs;
import io.corral.manager.store.RaftView;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Control API on a manager. It runs on every manager against its own replica: reads are local,
 * writes go through Raft to the leader, so the CLI works on any manager.
 */
public final class ControlService extends ControlGrpc.ControlImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(ControlService.class);

  private final NodeApi nodes;
  private final ServiceLogs serviceLogs;
  private final ClusterApi clusters;
  private final ServiceApi services;
  private final TaskApi tasks;
  private final NetworkApi networks;

  public ControlService(Store store, RaftView raft, ServiceLogs serviceLogs) {
    this.serviceLogs = serviceLogs;
    this.nodes = new NodeApi(store, raft);
    this.clusters = new ClusterApi(store);
    this.services = new ServiceApi(store, Clock.systemUTC());
    this.tasks = new TaskApi(store);
    this.networks = new NetworkApi(store);
  }

  @Override
  public void getNode(GetNodeRequest request, StreamObserver<GetNodeResponse> out) {
    answer(out, () -> GetNodeResponse.newBuilder().setNode(nodes.get(request)).build());
  }

  @Override
  public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> out) {
    answer(out, () -> ListNodesResponse.newBuilder().addAllNodes(nodes.list(request)).build());
  }

  @Override
  public void updateNode(UpdateNodeRequest request, StreamObserver<UpdateNodeResponse> out) {
    answer(out, () -> UpdateNodeResponse.newBuilder().setNode(nodes.update(request)).build());
  }

  @Override
  public void removeNode(RemoveNodeRequest request, StreamObserver<RemoveNodeResponse> out) {
    answer(
        out,
        () -> {
          nodes.remove(request);
          return RemoveNodeResponse.getDefaultInstance();
        });
  }

  @Override
  public void getCluster(GetClusterRequest request, StreamObserver<GetClusterResponse> out) {
    answer(
        out,
        () ->
            GetClusterResponse.newBuilder()
                .setCluster(clusters.get(request.getClusterId()))
                .build());
  }

  @Override
  public void listClusters(ListClustersRequest request, StreamObserver<ListClustersResponse> out) {
    answer(out, () -> ListClustersResponse.newBuilder().addAllClusters(clusters.list()).build());
  }

  @Override
  public void updateCluster(
      UpdateClusterRequest request, StreamObserver<UpdateClusterResponse> out) {
    answer(
        out, () -> UpdateClusterResponse.newBuilder().setCluster(clusters.update(request)).build());
  }

  @Override
  public void getTask(GetTaskRequest request, StreamObserver<GetTaskResponse> out) {
    answer(out, () -> GetTaskResponse.newBuilder().setTask(tasks.get(request)).build());
  }

  @Override
  public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> out) {
    answer(out, () -> ListTasksResponse.newBuilder().addAllTasks(tasks.list(request)).build());
  }

  @Override
  public void createService(
      CreateServiceRequest request, StreamObserver<CreateServiceResponse> out) {
    answer(
        out, () -> CreateServiceResponse.newBuilder().setService(services.create(request)).build());
  }

  @Override
  public void getService(GetServiceRequest request, StreamObserver<GetServiceResponse> out) {
    answer(out, () -> GetServiceResponse.newBuilder().setService(services.get(request)).build());
  }

  @Override
  public void listServices(ListServicesRequest request, StreamObserver<ListServicesResponse> out) {
    answer(
        out,
        () -> ListServicesResponse.newBuilder().addAllServices(services.list(request)).build());
  }

  @Override
  public void updateService(
      UpdateServiceRequest request, StreamObserver<UpdateServiceResponse> out) {
    answer(
        out, () -> UpdateServiceResponse.newBuilder().setService(services.update(request)).build());
  }

  @Override
  public void promoteService(
      PromoteServiceRequest request, StreamObserver<PromoteServiceResponse> out) {
    answer(
        out,
        () -> PromoteServiceResponse.newBuilder().setService(services.promote(request)).build());
  }

  @Override
  public void removeService(
      RemoveServiceRequest request, StreamObserver<RemoveServiceResponse> out) {
    answer(
        out,
        () -> {
          services.remove(request);
          return RemoveServiceResponse.getDefaultInstance();
        });
  }

  @Override
  public void listServiceStatuses(
      ListServiceStatusesRequest request, StreamObserver<ListServiceStatusesResponse> out) {
    answer(
        out,
        () ->
            ListServiceStatusesResponse.newBuilder()
                .addAllStatuses(services.statuses(request))
                .build());
  }

  @Override
  public void createNetwork(
      CreateNetworkRequest request, StreamObserver<CreateNetworkResponse> out) {
    answer(
        out, () -> CreateNetworkResponse.newBuilder().setNetwork(networks.create(request)).build());
  }

  @Override
  public void getNetwork(GetNetworkRequest request, StreamObserver<GetNetworkResponse> out) {
    answer(out, () -> GetNetworkResponse.newBuilder().setNetwork(networks.get(request)).build());
  }

  @Override
  public void listNetworks(ListNetworksRequest request, StreamObserver<ListNetworksResponse> out) {
    answer(
        out,
        () -> ListNetworksResponse.newBuilder().addAllNetworks(networks.list(request)).build());
  }

  @Override
  public void removeNetwork(
      RemoveNetworkRequest request, StreamObserver<RemoveNetworkResponse> out) {
    answer(
        out,
        () -> {
          networks.remove(request);
          return RemoveNetworkResponse.getDefaultInstance();
        });
  }

  @Override
  public void serviceLogs(ServiceLogsRequest request, StreamObserver<LogMessage> out) {
    serviceLogs.serve(request, out);
  }

  /**
   * Runs one call and turns every failure into a status the CLI can show; bad input never escapes
   * as INTERNAL.
   */
  static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    try {
      out.onNext(call.get());
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    } catch (StoreException e) {
      out.onError(toStatus(e).asRuntimeException());
    } catch (RuntimeException e) {
      LOG.warn("control call failed", e);
      out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
    }
  }

  static Status toStatus(StoreException e) {
    Status status =
        switch (e.code()) {
          case NOT_FOUND -> Status.NOT_FOUND;
          case EXISTS, NAME_CONFLICT -> Status.ALREADY_EXISTS;
          case VERSION_CONFLICT -> Status.FAILED_PRECONDITION;
          case INVALID -> Status.INVALID_ARGUMENT;
          case NO_QUORUM, TIMEOUT, CLOSED -> Status.UNAVAILABLE;
        };
    return status.withDescription(e.getMessage());
  }
}
