package io.corral.manager.controlapi;

import io.corral.api.CreateServiceRequest;
import io.corral.api.GetServiceRequest;
import io.corral.api.ListServiceStatusesRequest;
import io.corral.api.ListServiceStatusesResponse.ServiceStatus;
import io.corral.api.ListServicesRequest;
import io.corral.api.Node;
import io.corral.api.PromoteServiceRequest;
import io.corral.api.RemoveServiceRequest;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.UpdateServiceRequest;
import io.corral.api.UpdateStatus;
import io.corral.common.RandomIds;
import io.corral.manager.orchestrator.update.UpdateStatuses;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.ReadTx;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreException;
import io.corral.manager.task.TaskStates;
import io.grpc.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The service half of the Control API: `service create|inspect|ls|update|scale|rollback|promote|rm`
 * and the counts of `service ls`. Validates specs, then writes them in one store transaction each;
 * the orchestrators do the rest. Services are named by id, by exact name, or by a unique id prefix
 * (as the docker daemon resolves them), so the CLI can pass what the user typed.
 */
final class ServiceApi {

  /** Retries of a write that raced another writer when the caller did not pin a version. */
  private static final int CONFLICT_RETRIES = 5;

  private final Store store;
  private final Clock clock;

  ServiceApi(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  Service create(CreateServiceRequest request) {
    if (!request.hasSpec()) {
      throw ServiceSpecValidator.invalid("spec", "missing; a service needs a spec");
    }
    ServiceSpec spec = ServiceSpecValidator.validate(request.getSpec());
    String name = spec.getAnnotations().getName();
    String id = RandomIds.newId();
    Instant now = clock.instant();
    try {
      return store
          .update(
              tx -> {
                // Names are unique ignoring case, as in swarmkit's store.
                if (!tx.find(
                        ObjectKind.SERVICE,
                        s -> s.getSpec().getAnnotations().getName().equalsIgnoreCase(name))
                    .isEmpty()) {
                  throw alreadyExists(name);
                }
                tx.create(ServiceRevisions.created(id, SpecReferences.resolve(spec, tx), now));
              })
          .first(ObjectKind.SERVICE)
          .orElseThrow();
    } catch (StoreException e) {
      if (e.code() == StoreException.Code.NAME_CONFLICT) {
        throw alreadyExists(name);
      }
      throw e;
    }
  }

  Service get(GetServiceRequest request) {
    Service service = store.view(tx -> find(tx, request.getServiceId()));
    return request.getInsertDefaults() ? ServiceDefaults.withDefaults(service) : service;
  }

  List<Service> list(ListServicesRequest request) {
    return store.view(
        tx -> tx.find(ObjectKind.SERVICE, ListFilters.services(request.getFilters())));
  }

  /** A new spec (`service update|scale`) or the previous one back (`service rollback`). */
  Service update(UpdateServiceRequest request) {
    boolean rollback = request.getRollback() == UpdateServiceRequest.Rollback.PREVIOUS;
    if (request.getRollback() == UpdateServiceRequest.Rollback.UNRECOGNIZED) {
      throw ServiceSpecValidator.invalid("rollback", "unknown rollback mode; use NONE or PREVIOUS");
    }
    if (!rollback && !request.hasSpec()) {
      throw ServiceSpecValidator.invalid("spec", "missing; an update needs the whole new spec");
    }
    ServiceSpec spec = rollback ? null : ServiceSpecValidator.validate(request.getSpec());
    return retryingConflicts(
        !request.hasServiceVersion(),
        () ->
            store
                .update(
                    tx -> {
                      Service current = find(tx, request.getServiceId());
                      long version = current.getMeta().getVersion();
                      if (request.hasServiceVersion()
                          && request.getServiceVersion().getIndex() != version) {
                        throw Status.FAILED_PRECONDITION
                            .withDescription(
                                "update out of sequence: service "
                                    + current.getSpec().getAnnotations().getName()
                                    + " changed since it was read (version "
                                    + request.getServiceVersion().getIndex()
                                    + ", now "
                                    + version
                                    + "); read it again and retry")
                            .asRuntimeException();
                      }
                      Instant now = clock.instant();
                      tx.update(
                          rollback
                              ? ServiceRevisions.rolledBack(current, now)
                              : ServiceRevisions.updated(
                                  current, SpecReferences.resolve(spec, tx), now));
                    })
                .first(ObjectKind.SERVICE)
                .orElseThrow());
  }

  /** Continues an update held in its canary stage (`service promote`). */
  Service promote(PromoteServiceRequest request) {
    return retryingConflicts(
        true,
        () ->
            store
                .update(
                    tx -> {
                      Service current = find(tx, request.getServiceId());
                      UpdateStatus.UpdateState state = current.getUpdateStatus().getState();
                      if (state != UpdateStatus.UpdateState.CANARY) {
                        throw Status.FAILED_PRECONDITION
                            .withDescription(
                                "service "
                                    + current.getSpec().getAnnotations().getName()
                                    + " has no canary waiting to be promoted (update state: "
                                    + state.name().toLowerCase(Locale.ROOT)
                                    + "); promote applies to an update started with"
                                    + " --update-canary once its canaries run")
                            .asRuntimeException();
                      }
                      tx.update(UpdateStatuses.promoted(current));
                    })
                .first(ObjectKind.SERVICE)
                .orElseThrow());
  }

  /**
   * Deletes the service and, in the same transaction, tells its tasks to go (desired REMOVE):
   * agents stop them and the task reaper deletes them once they are down. Tasks that already
   * stopped are left to the reaper too, which keeps this write small whatever the task history.
   */
  void remove(RemoveServiceRequest request) {
    retryingConflicts(
        true,
        () ->
            store.update(
                tx -> {
                  Service service = find(tx, request.getServiceId());
                  Instant now = clock.instant();
                  for (Task t : tx.tasksOfService(service.getId())) {
                    if (TaskStates.wantsToRun(t)) {
                      tx.update(TaskStates.stop(t, TaskState.REMOVE, now, "service removed"));
                    }
                  }
                  tx.delete(ObjectKind.SERVICE, service.getId());
                }));
  }

  /** Counts for the given services, or for every service when none is named. */
  List<ServiceStatus> statuses(ListServiceStatusesRequest request) {
    return store.view(
        tx -> {
          List<Service> services =
              request.getServicesList().isEmpty()
                  ? tx.list(ObjectKind.SERVICE)
                  : request.getServicesList().stream().map(ref -> find(tx, ref)).toList();
          Map<String, Node> nodes =
              tx.list(ObjectKind.NODE).stream()
                  .collect(Collectors.toMap(Node::getId, Function.identity()));
          return services.stream()
              .map(s -> ServiceStatuses.of(s, tx.tasksOfService(s.getId()), nodes))
              .toList();
        });
  }

  /** The service a reference names: its id, its exact name, or a unique prefix of its id. */
  static Service find(ReadTx tx, String ref) {
    return References.find(tx, ObjectKind.SERVICE, ref);
  }

  private static RuntimeException alreadyExists(String name) {
    return Status.ALREADY_EXISTS
        .withDescription(
            "service "
                + name
                + " already exists; choose another name or "
                + "update the existing service")
        .asRuntimeException();
  }

  /**
   * Runs a read-modify-write, again when another writer changed what it read in between, unless the
   * caller pinned the version it read (then the conflict is theirs to see).
   */
  private static <T> T retryingConflicts(boolean retry, Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (StoreException e) {
        if (!retry || !e.isConflict() || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
      }
    }
  }
}
