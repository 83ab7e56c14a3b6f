package io.corral.manager.allocator;

import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import java.util.List;
import java.util.Optional;

/**
 * Which networks a service's tasks attach to: the task template's networks, or the service-level
 * ones when the template names none (the older field swarmkit keeps; the proto says the template
 * wins).
 */
public final class NetworkTargets {

  private NetworkTargets() {}

  public static List<NetworkAttachmentConfig> of(ServiceSpec spec) {
    return spec.getTask().getNetworksCount() > 0
        ? spec.getTask().getNetworksList()
        : spec.getNetworksList();
  }

  /**
   * The networks of a task: those of the template it was made from, or, for a task made from a spec
   * that named them at service level only (stored before the Control API moved them), its
   * service's.
   */
  public static List<NetworkAttachmentConfig> of(Task task, Optional<Service> service) {
    if (task.getSpec().getNetworksCount() > 0 || service.isEmpty()) {
      return task.getSpec().getNetworksList();
    }
    return service.get().getSpec().getNetworksList();
  }
}
