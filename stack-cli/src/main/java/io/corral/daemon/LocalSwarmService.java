package io.corral.daemon;

import io.corral.api.InfoRequest;
import io.corral.api.InfoResponse;
import io.corral.api.InitRequest;
import io.corral.api.InitResponse;
import io.corral.api.JoinRequest;
import io.corral.api.JoinResponse;
import io.corral.api.LeaveRequest;
import io.corral.api.LeaveResponse;
import io.corral.api.LocalSwarmGrpc;
import io.corral.api.NodeSpec;
import io.corral.api.VersionRequest;
import io.corral.api.VersionResponse;
import io.corral.common.ProtoTime;
import io.corral.manager.bootstrap.ClusterBootstrap;
import io.corral.manager.store.StoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The LocalSwarm gRPC service: `swarm init|join|leave` and `info`, carried out by the daemon. */
final class LocalSwarmService extends LocalSwarmGrpc.LocalSwarmImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(LocalSwarmService.class);

  private final Daemon daemon;

  LocalSwarmService(Daemon daemon) {
    this.daemon = daemon;
  }

  @Override
  public void init(InitRequest request, StreamObserver<InitResponse> out) {
    run(
        out,
        "swarm init",
        () -> {
          if (request.getHasTaskHistoryLimit() && request.getTaskHistoryLimit() < 0) {
            throw Status.INVALID_ARGUMENT
                .withDescription(
                    "--task-history-limit: must be >= 0, got " + request.getTaskHistoryLimit())
                .asRuntimeException();
          }
          java.time.Duration expiry =
              request.hasCertExpiry()
                  ? ProtoTime.duration(request.getCertExpiry())
                  : ClusterBootstrap.DEFAULT_CERT_EXPIRY;
          if (expiry.compareTo(java.time.Duration.ofHours(1)) < 0) {
            throw Status.INVALID_ARGUMENT
                .withDescription("--cert-expiry: minimum certificate expiry time is 1h0m0s")
                .asRuntimeException();
          }
          java.time.Duration heartbeat =
              request.hasDispatcherHeartbeat()
                  ? ProtoTime.duration(request.getDispatcherHeartbeat())
                  : ClusterBootstrap.DEFAULT_HEARTBEAT;
          if (heartbeat.isZero() || heartbeat.isNegative()) {
            throw Status.INVALID_ARGUMENT
                .withDescription("--dispatcher-heartbeat: must be positive")
                .asRuntimeException();
          }
          ClusterBootstrap.Settings settings;
          try {
            settings =
                new ClusterBootstrap.Settings(
                        expiry,
                        heartbeat,
                        request.getHasTaskHistoryLimit()
                            ? request.getTaskHistoryLimit()
                            : ClusterBootstrap.DEFAULT_TASK_HISTORY,
                        request.getAvailability() == NodeSpec.Availability.UNRECOGNIZED
                            ? NodeSpec.Availability.ACTIVE
                            : request.getAvailability())
                    .withAddressPool(request.getDefaultAddressPoolList(), request.getSubnetSize());
          } catch (IllegalArgumentException e) {
            // The pool's checks name the flag at fault ("--default-addr-pool: …").
            throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
          }
          Daemon.InitResult r =
              daemon.init(
                  new Daemon.InitParams(
                      request.getListenAddr(), request.getAdvertiseAddr(), settings));
          String workerToken =
              daemon
                  .manager()
                  .map(
                      m ->
                          m.store()
                              .view(tx -> tx.list(io.corral.manager.store.ObjectKind.CLUSTER))
                              .get(0)
                              .getRootCa()
                              .getJoinTokens()
                              .getWorker())
                  .orElse("");
          return InitResponse.newBuilder()
              .setNodeId(r.nodeId())
              .setClusterId(r.clusterId())
              .setAdvertiseAddr(r.advertiseAddr())
              .setWorkerToken(workerToken)
              .build();
        });
  }

  @Override
  public void join(JoinRequest request, StreamObserver<JoinResponse> out) {
    run(
        out,
        "swarm join",
        () -> {
          if (request.getToken().isBlank()) {
            throw Status.INVALID_ARGUMENT
                .withDescription("a join token is required: --token TOKEN")
                .asRuntimeException();
          }
          if (request.getRemoteAddr().isBlank()) {
            throw Status.INVALID_ARGUMENT
                .withDescription(
                    "the address of a manager is required: "
                        + "corral swarm join --token TOKEN HOST:PORT")
                .asRuntimeException();
          }
          Daemon.JoinResult r =
              daemon.join(
                  new Daemon.JoinParams(
                      request.getRemoteAddr(),
                      request.getToken(),
                      request.getListenAddr(),
                      request.getAdvertiseAddr(),
                      request.getAvailability()));
          return JoinResponse.newBuilder().setNodeId(r.nodeId()).setManager(r.manager()).build();
        });
  }

  @Override
  public void leave(LeaveRequest request, StreamObserver<LeaveResponse> out) {
    run(
        out,
        "swarm leave",
        () -> {
          daemon.leave(request.getForce());
          return LeaveResponse.getDefaultInstance();
        });
  }

  @Override
  public void info(InfoRequest request, StreamObserver<InfoResponse> out) {
    run(out, "info", () -> DaemonInfo.info(daemon));
  }

  @Override
  public void version(VersionRequest request, StreamObserver<VersionResponse> out) {
    run(out, "version", () -> VersionResponse.newBuilder().setServer(DaemonInfo.version()).build());
  }

  private interface Call<T> {
    T run() throws Exception;
  }

  /** One call: a refusal keeps its status, anything else becomes a message naming what failed. */
  private static <T> void run(StreamObserver<T> out, String what, Call<T> call) {
    try {
      out.onNext(call.run());
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    } catch (StoreException e) {
      out.onError(
          Status.UNAVAILABLE.withDescription(what + ": " + e.getMessage()).asRuntimeException());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.onError(Status.CANCELLED.withDescription(what + " interrupted").asRuntimeException());
    } catch (Exception e) {
      LOG.warn("{} failed", what, e);
      out.onError(
          Status.INTERNAL
              .withDescription(what + " failed: " + e.getMessage())
              .asRuntimeException());
    }
  }
}
