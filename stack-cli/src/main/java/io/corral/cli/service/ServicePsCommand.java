package io.corral.cli.service;

import io.corral.api.ListServicesRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.cli.CliContext;
import io.corral.cli.Main;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.format.FilterArgs;
import io.corral.cli.node.NodeResolver;
import io.corral.cli.task.TaskFilters;
import io.corral.cli.task.TaskListOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service ps SERVICE...}: the tasks of services with their history per slot, as
 * {@code docker service ps}. Services unknown are reported after the tasks of the known ones.
 */
@Command(name = "ps", description = "List the tasks of one or more services.")
public final class ServicePsCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  io.corral.cli.HelpOption help;

  @CommandLine.Mixin
  TaskListOptions display;

  @Option(names = {"-f", "--filter"}, paramLabel = "filter",
      description = "Filter output based on conditions provided (id, name, node, desired-state=running|shutdown|accepted).")
  List<String> filters = new ArrayList<>();

  @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "Service name, id, or id prefix.")
  List<String> refs;

  @Override
  public Integer call() {
    CliContext ctx = Main.context(spec);
    PrintWriter out = spec.commandLine().getOut();
    return DaemonCall.run(ctx, spec.commandLine().getErr(), () -> {
      FilterArgs f = FilterArgs.parse(filters).validate(TaskFilters.KEYS);
      ListTasksRequest.Filters.Builder filter = TaskFilters.of(f, new NodeResolver(ctx));
      List<String> notFound = new ArrayList<>();
      matchServices(ctx, filter, notFound);
      List<Task> tasks = DaemonCall.control(ctx).listTasks(ListTasksRequest.newBuilder().setFilters(filter)
          .build()).getTasksList();
      out.print(display.render(tasks, ctx));
      out.flush();
      if (!notFound.isEmpty()) {
        throw new CliFailure(String.join("\n", notFound));
      }
      return 0;
    });
  }

  /**
   * Docker's createFilter: each SERVICE by full id, then full name, then id prefix (ambiguous prefix = error);
   * those not found are collected, and an error is raised only when none was found.
   */
  private void matchServices(CliContext ctx, ListTasksRequest.Filters.Builder filter, List<String> notFound) {
    List<Service> byId = DaemonCall.control(ctx).listServices(ListServicesRequest.newBuilder()
        .setFilters(ListServicesRequest.Filters.newBuilder().addAllIdPrefixes(refs)).build()).getServicesList();
    List<Service> byName = DaemonCall.control(ctx).listServices(ListServicesRequest.newBuilder()
        .setFilters(ListServicesRequest.Filters.newBuilder().addAllNames(refs)).build()).getServicesList();
    int found = 0;
    next:
    for (String ref : refs) {
      for (Service s : byId) {
        if (s.getId().equals(ref)) {
          filter.addServiceIds(s.getId());
          found++;
          continue next;
        }
      }
      for (Service s : byName) {
        if (ServiceWords.name(s).equals(ref)) {
          filter.addServiceIds(s.getId());
          found++;
          continue next;
        }
      }
      List<Service> prefixed = byId.stream().filter(s -> s.getId().startsWith(ref)).toList();
      if (prefixed.size() > 1) {
        throw new CliFailure("multiple services found with provided prefix: " + ref);
      }
      if (prefixed.isEmpty()) {
        notFound.add("no such service: " + ref);
      } else {
        filter.addServiceIds(prefixed.get(0).getId());
        found++;
      }
    }
    if (found == 0) {
      throw new CliFailure(String.join("\n", notFound));
    }
  }
}
