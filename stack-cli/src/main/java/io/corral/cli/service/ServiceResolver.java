package io.corral.cli.service;

import io.corral.api.GetServiceRequest;
import io.corral.api.ListServicesRequest;
import io.corral.api.Service;
import io.corral.cli.CliContext;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;

/**
 * Finds the service a command-line SERVICE argument names, in the docker daemon's order: an exact id, an exact
 * name, then a unique id prefix.
 */
public final class ServiceResolver {

  private final CliContext ctx;

  public ServiceResolver(CliContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The service {@code ref} names, read now (so its version is fresh for an update).
   *
   * @throws CliFailure "Error: No such service: ref", or docker's message when an id prefix is ambiguous
   */
  public Service resolve(String ref) {
    return resolve(ref, false);
  }

  /** As {@link #resolve(String)}; {@code insertDefaults} asks for unset spec fields filled (for inspect). */
  public Service resolve(String ref, boolean insertDefaults) {
    if (ref.isEmpty()) {
      throw noSuchService(ref);
    }
    try {
      return DaemonCall.control(ctx).getService(GetServiceRequest.newBuilder().setServiceId(ref)
          .setInsertDefaults(insertDefaults).build()).getService();
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code != Status.Code.NOT_FOUND && code != Status.Code.INVALID_ARGUMENT) {
        throw e;
      }
    }
    List<Service> byName = DaemonCall.control(ctx).listServices(ListServicesRequest.newBuilder()
            .setFilters(ListServicesRequest.Filters.newBuilder().addNames(ref)).build()).getServicesList()
        .stream().filter(s -> s.getSpec().getAnnotations().getName().equals(ref)).toList();
    if (byName.size() == 1) {
      return reread(byName.get(0), insertDefaults);
    }
    List<Service> byPrefix = DaemonCall.control(ctx).listServices(ListServicesRequest.newBuilder()
            .setFilters(ListServicesRequest.Filters.newBuilder().addIdPrefixes(ref)).build()).getServicesList()
        .stream().filter(s -> s.getId().startsWith(ref)).toList();
    if (byPrefix.size() == 1) {
      return reread(byPrefix.get(0), insertDefaults);
    }
    if (byPrefix.size() > 1) {
      throw new CliFailure("Error response from daemon: service " + ref + " is ambiguous (" + byPrefix.size()
          + " matches found)");
    }
    throw noSuchService(ref);
  }

  /** A listed service is complete; only inspect's defaults need it fetched again by id. */
  private Service reread(Service s, boolean insertDefaults) {
    if (!insertDefaults) {
      return s;
    }
    return DaemonCall.control(ctx).getService(GetServiceRequest.newBuilder().setServiceId(s.getId())
        .setInsertDefaults(true).build()).getService();
  }

  static CliFailure noSuchService(String ref) {
    return new CliFailure("Error: No such service: " + ref);
  }
}
