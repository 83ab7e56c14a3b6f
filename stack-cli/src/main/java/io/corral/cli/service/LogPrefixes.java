package io.corral.cli.service;

import io.corral.api.GetTaskRequest;
import io.corral.api.LogContext;
import io.corral.api.Task;
import io.corral.cli.CliContext;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.format.Ellipsis;
import io.corral.cli.task.IdResolver;
import io.grpc.StatusRuntimeException;
import java.util.HashMap;
import java.util.Map;

/**
 * Docker's log line prefix ({@code taskFormatter}): {@code web.1.abc123def456@node-1} followed by
 * padding so the {@code |} of slots with fewer digits line up; computed once per task.
 */
final class LogPrefixes {

  private final CliContext ctx;
  private final IdResolver names;
  private final boolean noTaskIds;
  private final boolean noTrunc;
  private final int padding;
  private final Map<LogContext, String> cache = new HashMap<>();

  /**
   * @param padding the digits of the largest slot (docker: of the replica count), 0 for none
   */
  LogPrefixes(CliContext ctx, IdResolver names, boolean noTaskIds, boolean noTrunc, int padding) {
    this.ctx = ctx;
    this.names = names;
    this.noTaskIds = noTaskIds;
    this.noTrunc = noTrunc;
    this.padding = padding;
  }

  String of(LogContext c) {
    return cache.computeIfAbsent(c, this::format);
  }

  private String format(LogContext c) {
    long slot = 0;
    try {
      Task task =
          DaemonCall.control(ctx)
              .getTask(GetTaskRequest.newBuilder().setTaskId(c.getTaskId()).build())
              .getTask();
      slot = task.getSlot();
    } catch (StatusRuntimeException e) {
      // A task already deleted by the reaper: its lines still deserve a prefix.
    }
    String name = names.service(c.getServiceId()) + "." + slot;
    if (!noTaskIds) {
      name += "." + (noTrunc ? c.getTaskId() : Ellipsis.id(c.getTaskId()));
    }
    int pad = padding - digits(slot);
    return name + "@" + names.node(c.getNodeId()) + (pad > 0 ? " ".repeat(pad) : "");
  }

  static int digits(long n) {
    return Long.toString(n).length();
  }
}
