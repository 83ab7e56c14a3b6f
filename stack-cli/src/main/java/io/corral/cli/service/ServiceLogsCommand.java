package io.corral.cli.service;

import io.corral.api.ControlGrpc;
import io.corral.api.LogMessage;
import io.corral.api.LogSelector;
import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.Service;
import io.corral.api.ServiceLogsRequest;
import io.corral.api.Task;
import io.corral.cli.CliContext;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.CliFailure;
import io.corral.cli.task.IdResolver;
import io.corral.common.ProtoTime;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service logs [OPTIONS] SERVICE|TASK}: the output of a service's (or one task's)
 * processes, each line prefixed with its task and node like {@code docker service logs}; stdout
 * lines go to stdout, stderr lines to stderr.
 */
@Command(name = "logs", description = "Fetch the logs of a service or task.")
public final class ServiceLogsCommand extends CorralCommand {

  /** Docker's RFC3339NanoFixed, in UTC. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** A log dump without -f still ends; a stuck one should not hang a script forever. */
  private static final long DUMP_DEADLINE_MINUTES = 5;

  @Option(
      names = {"-f", "--follow"},
      description = "Follow log output.")
  boolean follow;

  @Option(
      names = {"-n", "--tail"},
      paramLabel = "string",
      defaultValue = "all",
      description = "Number of lines to show from the end of the logs (default \"all\").")
  String tail;

  @Option(
      names = {"-t", "--timestamps"},
      description = "Show timestamps.")
  boolean timestamps;

  @Option(names = "--no-task-ids", description = "Do not include task IDs in output.")
  boolean noTaskIds;

  @Option(names = "--no-trunc", description = "Do not truncate output.")
  boolean noTrunc;

  @Option(names = "--no-resolve", description = "Do not map IDs to Names in output.")
  boolean noResolve;

  @Option(names = "--raw", description = "Do not neatly format logs.")
  boolean raw;

  @Parameters(
      index = "0",
      paramLabel = "SERVICE|TASK",
      description = "Service name, id or id prefix, or task id or id prefix.")
  String target;

  @Override
  protected int run() {
    CliContext ctx = ctx();
    LogSubscriptionOptions.Builder options =
        LogSubscriptionOptions.newBuilder().setFollow(follow).setTimestamps(timestamps);
    Long lines = parseTail(tail);
    if (lines != null) {
      options.setTail(lines);
    }
    LogSelector.Builder selector = LogSelector.newBuilder();
    int padding = select(ctx, selector);
    ControlGrpc.ControlBlockingStub stub = ControlGrpc.newBlockingStub(ctx.channel());
    if (!follow) {
      stub = stub.withDeadlineAfter(DUMP_DEADLINE_MINUTES, TimeUnit.MINUTES);
    }
    LogPrefixes prefixes =
        new LogPrefixes(ctx, new IdResolver(ctx, noResolve), noTaskIds, noTrunc, padding);
    Iterator<LogMessage> messages =
        stub.serviceLogs(
            ServiceLogsRequest.newBuilder().setSelector(selector).setOptions(options).build());
    while (messages.hasNext()) {
      LogMessage m = messages.next();
      PrintWriter to = m.getStream() == LogStream.LOG_STREAM_STDERR ? err() : out();
      to.print(line(m, raw ? "" : prefixes.of(m.getContext()) + "    | "));
      to.flush();
    }
    return 0;
  }

  /** One output line: [timestamp ]prefix data, ended by a newline. */
  private String line(LogMessage m, String prefix) {
    StringBuilder b = new StringBuilder();
    if (timestamps) {
      b.append(TIMESTAMP.format(ProtoTime.instant(m.getTimestamp()))).append(' ');
    }
    String data = m.getData().toString(StandardCharsets.UTF_8);
    b.append(prefix).append(data);
    if (!data.endsWith("\n")) {
      b.append('\n');
    }
    return b.toString();
  }

  /**
   * Points {@code selector} at the target: a service (by id, name or prefix), else a task (by id or
   * prefix), as docker tries them. Returns the width slot numbers are padded to.
   */
  private int select(CliContext ctx, LogSelector.Builder selector) {
    try {
      Service s = Lookup.service(ctx, target, false);
      selector.addServiceIds(s.getId());
      return s.getSpec().hasReplicated()
          ? LogPrefixes.digits(s.getSpec().getReplicated().getReplicas())
          : 0;
    } catch (CliFailure notAService) {
      if (!Lookup.isNotFound(notAService)) {
        throw notAService;
      }
    }
    Task task;
    try {
      task = Lookup.task(ctx, target);
    } catch (CliFailure notATask) {
      if (!Lookup.isNotFound(notATask)) {
        throw notATask;
      }
      throw new CliFailure("no such task or service: " + target);
    }
    selector.addTaskIds(task.getId());
    return LogPrefixes.digits(task.getSlot());
  }

  /**
   * {@code --tail}: a count of lines, else every line; as docker documents, "all", a negative
   * number and anything that is not an integer all mean every line.
   *
   * @return null for all lines
   */
  static Long parseTail(String tail) {
    try {
      long n = Long.parseLong(tail.strip());
      return n < 0 ? null : n;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
