package io.corral.manager.controlapi;

import io.corral.api.ListNetworksRequest;
import io.corral.api.ListServicesRequest;
import io.corral.api.ListTasksRequest;
import io.corral.api.Network;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.manager.task.TaskFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The list filters of the service and task RPCs as predicates: every given field must match, and
 * within a field any value may (swarmkit's rule). A label filter with an empty value matches any
 * value of the key.
 */
final class ListFilters {

  private ListFilters() {}

  static Predicate<Service> services(ListServicesRequest.Filters f) {
    Predicate<Service> p = s -> true;
    p = p.and(anyEqual(f.getNamesList(), s -> s.getSpec().getAnnotations().getName()));
    p = p.and(anyPrefix(f.getNamePrefixesList(), s -> s.getSpec().getAnnotations().getName()));
    p = p.and(anyPrefix(f.getIdPrefixesList(), Service::getId));
    return p.and(labels(f.getLabelsMap(), s -> s.getSpec().getAnnotations().getLabelsMap()));
  }

  static Predicate<Network> networks(ListNetworksRequest.Filters f) {
    Predicate<Network> p = n -> true;
    p = p.and(anyEqual(f.getNamesList(), n -> n.getSpec().getAnnotations().getName()));
    p = p.and(anyPrefix(f.getNamePrefixesList(), n -> n.getSpec().getAnnotations().getName()));
    p = p.and(anyPrefix(f.getIdPrefixesList(), Network::getId));
    return p.and(labels(f.getLabelsMap(), n -> n.getSpec().getAnnotations().getLabelsMap()));
  }

  /**
   * Task filters; {@code services} maps service ids to services for {@code up_to_date} (a task of a
   * service that is gone is never up to date).
   */
  static Predicate<Task> tasks(ListTasksRequest.Filters f, Map<String, Service> services) {
    Predicate<Task> p = t -> true;
    p = p.and(anyEqual(f.getNamesList(), t -> t.getAnnotations().getName()));
    p = p.and(anyPrefix(f.getNamePrefixesList(), t -> t.getAnnotations().getName()));
    p = p.and(anyPrefix(f.getIdPrefixesList(), Task::getId));
    p = p.and(labels(f.getLabelsMap(), t -> t.getAnnotations().getLabelsMap()));
    p = p.and(anyEqual(f.getServiceIdsList(), Task::getServiceId));
    p = p.and(anyEqual(f.getNodeIdsList(), Task::getNodeId));
    p = p.and(anyEqual(f.getDesiredStatesList(), Task::getDesiredState));
    p = p.and(anyEqual(f.getSlotsList(), Task::getSlot));
    if (f.getUpToDate()) {
      p =
          p.and(
              t -> {
                Service s = services.get(t.getServiceId());
                return s != null
                    && t.getSpecVersion().getIndex() == TaskFactory.specVersion(s).getIndex();
              });
    }
    return p;
  }

  private static <T, V> Predicate<T> anyEqual(List<V> wanted, Function<T, V> field) {
    return wanted.isEmpty() ? t -> true : t -> wanted.contains(field.apply(t));
  }

  private static <T> Predicate<T> anyPrefix(List<String> prefixes, Function<T, String> field) {
    return prefixes.isEmpty()
        ? t -> true
        : t -> prefixes.stream().anyMatch(field.apply(t)::startsWith);
  }

  private static <T> Predicate<T> labels(
      Map<String, String> wanted, Function<T, Map<String, String>> field) {
    return wanted.isEmpty()
        ? t -> true
        : t -> {
          Map<String, String> have = field.apply(t);
          return wanted.entrySet().stream()
              .allMatch(
                  e ->
                      have.containsKey(e.getKey())
                          && (e.getValue().isEmpty() || e.getValue().equals(have.get(e.getKey()))));
        };
  }
}
