package io.corral.cli.command;

import io.corral.api.GetNetworkRequest;
import io.corral.api.GetNodeRequest;
import io.corral.api.GetServiceRequest;
import io.corral.api.GetTaskRequest;
import io.corral.api.InfoRequest;
import io.corral.api.Network;
import io.corral.api.Node;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.cli.CliContext;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/**
 * Reads the object a command-line reference names. The manager resolves references (id, exact name
 * or hostname, unique id prefix) as the docker daemon does; like docker's client, the CLI only
 * turns "not found" into {@code Error: No such node: REF} and passes every other answer (e.g. "node
 * 9h is ambiguous") on.
 */
public final class Lookup {

  /** What the CLI calls "this node". */
  public static final String SELF = "self";

  private Lookup() {}

  /**
   * The node {@code ref} names ({@code self} is this daemon's node), read now so its version is
   * fresh.
   */
  public static Node node(CliContext ctx, String ref) {
    String id = SELF.equals(ref) ? selfId(ctx) : ref;
    return orNoSuch(
        "node",
        ref,
        () ->
            DaemonCall.control(ctx)
                .getNode(GetNodeRequest.newBuilder().setNodeId(id).build())
                .getNode());
  }

  /**
   * The service {@code ref} names; {@code insertDefaults} fills unset spec fields (for inspect).
   */
  public static Service service(CliContext ctx, String ref, boolean insertDefaults) {
    return orNoSuch(
        "service",
        ref,
        () ->
            DaemonCall.control(ctx)
                .getService(
                    GetServiceRequest.newBuilder()
                        .setServiceId(ref)
                        .setInsertDefaults(insertDefaults)
                        .build())
                .getService());
  }

  /**
   * The network {@code ref} names: the manager resolves an id, a name or a unique id prefix given
   * as {@code network_id}, as it does for services.
   */
  public static Network network(CliContext ctx, String ref) {
    return orNoSuch(
        "network",
        ref,
        () ->
            DaemonCall.control(ctx)
                .getNetwork(GetNetworkRequest.newBuilder().setNetworkId(ref).build())
                .getNetwork());
  }

  /** The task {@code ref} names (an id or a unique id prefix). */
  public static Task task(CliContext ctx, String ref) {
    return orNoSuch(
        "task",
        ref,
        () ->
            DaemonCall.control(ctx)
                .getTask(GetTaskRequest.newBuilder().setTaskId(ref).build())
                .getTask());
  }

  /** This daemon's node id. */
  public static String selfId(CliContext ctx) {
    String id = DaemonCall.local(ctx).info(InfoRequest.getDefaultInstance()).getNodeId();
    if (id.isEmpty()) {
      throw new CliFailure("node ID not found in /info: this node is not part of a swarm");
    }
    return id;
  }

  /**
   * Docker's client wording for an object the daemon did not find; any other failure is passed on.
   */
  public static <T> T orNoSuch(String kind, String ref, Supplier<T> get) {
    try {
      return get.get();
    } catch (StatusRuntimeException e) {
      if (isNotFound(e)) {
        throw new CliFailure("Error: No such " + kind + ": " + ref);
      }
      throw e;
    }
  }

  /**
   * Whether a lookup failed because nothing has that reference (as opposed to the daemon failing).
   */
  public static boolean isNotFound(RuntimeException e) {
    return e instanceof CliFailure f
        ? f.getMessage().startsWith("Error: No such ")
        : e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND;
  }

  /** Whether the daemon refused a reference as naming several objects. */
  public static boolean isAmbiguous(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    return e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
        && d != null
        && d.contains(" is ambiguous (");
  }
}
