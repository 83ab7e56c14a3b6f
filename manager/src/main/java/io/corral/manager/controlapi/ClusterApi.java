package io.corral.manager.controlapi;

import com.google.protobuf.Duration;
import io.corral.api.Cluster;
import io.corral.api.ClusterSpec;
import io.corral.api.JoinTokens;
import io.corral.api.UpdateClusterRequest;
import io.corral.manager.ca.JoinToken;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import io.grpc.Status;
import java.util.List;

/** The cluster half of the Control API: `swarm update`, `swarm join-token [--rotate]`. */
final class ClusterApi {

  /** Docker's minimum node certificate lifetime. */
  private static final long MIN_CERT_EXPIRY_SECONDS = 3600;

  private final Store store;

  ClusterApi(Store store) {
    this.store = store;
  }

  Cluster get(String id) {
    return redacted(
        store
            .view(tx -> tx.get(ObjectKind.CLUSTER, id))
            .orElseThrow(
                () ->
                    Status.NOT_FOUND
                        .withDescription("cluster " + id + " not found")
                        .asRuntimeException()));
  }

  List<Cluster> list() {
    return store.view(tx -> tx.list(ObjectKind.CLUSTER)).stream()
        .map(ClusterApi::redacted)
        .toList();
  }

  Cluster update(UpdateClusterRequest request) {
    ClusterSpec spec = request.getSpec();
    validate(spec);
    store.update(
        tx -> {
          Cluster current =
              tx.get(ObjectKind.CLUSTER, request.getClusterId())
                  .orElseThrow(
                      () ->
                          Status.NOT_FOUND
                              .withDescription("cluster " + request.getClusterId() + " not found")
                              .asRuntimeException());
          if (request.hasClusterVersion()
              && request.getClusterVersion().getIndex() != current.getMeta().getVersion()) {
            throw Status.FAILED_PRECONDITION
                .withDescription(
                    "update out of sequence: the cluster changed since it "
                        + "was read; read it again and retry")
                .asRuntimeException();
          }
          Cluster.Builder next = current.toBuilder().setSpec(spec);
          JoinTokens.Builder tokens = current.getRootCa().getJoinTokens().toBuilder();
          String digest = current.getRootCa().getCaCertHash();
          if (request.getRotation().getWorkerJoinToken()) {
            tokens.setWorker(JoinToken.generate(digest).toString());
          }
          if (request.getRotation().getManagerJoinToken()) {
            tokens.setManager(JoinToken.generate(digest).toString());
          }
          next.getRootCaBuilder().setJoinTokens(tokens);
          tx.update(next.build());
        });
    return get(request.getClusterId());
  }

  static void validate(ClusterSpec spec) {
    Duration expiry = spec.getCaConfig().getNodeCertExpiry();
    if (spec.getCaConfig().hasNodeCertExpiry() && expiry.getSeconds() < MIN_CERT_EXPIRY_SECONDS) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "--cert-expiry: minimum certificate expiry time is 1h, got "
                  + expiry.getSeconds()
                  + "s")
          .asRuntimeException();
    }
    Duration heartbeat = spec.getDispatcher().getHeartbeatPeriod();
    if (spec.getDispatcher().hasHeartbeatPeriod()
        && heartbeat.getSeconds() <= 0
        && heartbeat.getNanos() <= 0) {
      throw Status.INVALID_ARGUMENT
          .withDescription("--dispatcher-heartbeat: must be positive")
          .asRuntimeException();
    }
    if (spec.getOrchestration().getTaskHistoryRetentionLimit() < 0) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "--task-history-limit: must be >= 0, got "
                  + spec.getOrchestration().getTaskHistoryRetentionLimit())
          .asRuntimeException();
    }
  }

  /** The CA key never leaves the managers' store. */
  private static Cluster redacted(Cluster c) {
    Cluster.Builder b = c.toBuilder();
    b.getRootCaBuilder().clearCaKey();
    if (b.getRootCaBuilder().hasRootRotation()) {
      b.getRootCaBuilder().getRootRotationBuilder().clearCaKey();
    }
    return b.build();
  }
}
