package io.corral.cli.service;

import io.corral.api.ListTasksRequest;
import io.corral.api.Task;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.command.Lookup;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import io.corral.cli.task.TaskListOptions;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code corral service ps SERVICE...}: the tasks of services with their history per slot, as
 * {@code docker service ps}. Services unknown are reported after the tasks of the known ones.
 */
@Command(name = "ps", description = "List the tasks of one or more services.")
public final class ServicePsCommand extends CorralCommand {

  @Mixin TaskListOptions display;

  @Parameters(
      arity = "1..*",
      paramLabel = "SERVICE",
      description = "Service name, id, or id prefix.")
  List<String> refs;

  @Override
  protected int run() {
    ListTasksRequest.Filters.Builder filter = display.filter(ctx());
    List<String> notFound = matchServices(filter);
    List<Task> tasks =
        DaemonCall.control(ctx())
            .listTasks(ListTasksRequest.newBuilder().setFilters(filter).build())
            .getTasksList();
    out().print(display.render(tasks, ctx()));
    if (!notFound.isEmpty()) {
      throw new CliFailure(String.join("\n", notFound));
    }
    return 0;
  }

  /**
   * Docker's createFilter: adds the service each SERVICE names (the daemon resolves id, name, then
   * unique id prefix; an ambiguous prefix is an error); those not found are returned, and are an
   * error only when none was found.
   */
  private List<String> matchServices(ListTasksRequest.Filters.Builder filter) {
    List<String> notFound = new ArrayList<>();
    for (String ref : refs) {
      try {
        filter.addServiceIds(Lookup.service(ctx(), ref, false).getId());
      } catch (CliFailure e) {
        if (!Lookup.isNotFound(e)) {
          throw e;
        }
        notFound.add("no such service: " + ref);
      } catch (StatusRuntimeException e) {
        if (Lookup.isAmbiguous(e)) {
          throw new CliFailure("multiple services found with provided prefix: " + ref);
        }
        throw e;
      }
    }
    if (notFound.size() == refs.size()) {
      throw new CliFailure(String.join("\n", notFound));
    }
    return notFound;
  }
}
