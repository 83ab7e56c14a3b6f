package io.corral.cli.task;

import io.corral.api.GetNodeRequest;
import io.corral.api.GetServiceRequest;
import io.corral.cli.CliContext;
import io.corral.cli.format.DaemonCall;
import io.grpc.StatusRuntimeException;
import java.util.HashMap;
import java.util.Map;

/**
 * Docker's {@code idresolver}: turns node ids into hostnames and service ids into names for
 * display, asking the daemon once per id; an id that cannot be resolved (or resolution turned off)
 * is shown as it is.
 */
public final class IdResolver {

  private final CliContext ctx;
  private final boolean noResolve;
  private final Map<String, String> nodes = new HashMap<>();
  private final Map<String, String> services = new HashMap<>();

  public IdResolver(CliContext ctx, boolean noResolve) {
    this.ctx = ctx;
    this.noResolve = noResolve;
  }

  /** The hostname of node {@code id}; empty for an unassigned task. */
  public String node(String id) {
    if (noResolve || id.isEmpty()) {
      return id;
    }
    return nodes.computeIfAbsent(
        id,
        k -> {
          try {
            String hostname =
                DaemonCall.control(ctx)
                    .getNode(GetNodeRequest.newBuilder().setNodeId(k).build())
                    .getNode()
                    .getDescription()
                    .getHostname();
            return hostname.isEmpty() ? k : hostname;
          } catch (StatusRuntimeException e) {
            return k; // e.g. a removed node: its id is the best we can show
          }
        });
  }

  /** The name of service {@code id}. */
  public String service(String id) {
    if (noResolve || id.isEmpty()) {
      return id;
    }
    return services.computeIfAbsent(
        id,
        k -> {
          try {
            return DaemonCall.control(ctx)
                .getService(GetServiceRequest.newBuilder().setServiceId(k).build())
                .getService()
                .getSpec()
                .getAnnotations()
                .getName();
          } catch (StatusRuntimeException e) {
            return k;
          }
        });
  }
}
