package io.corral.manager.allocator;

import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import java.util.List;

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

  /** The networks of a task, from the template it was made from. */
  public static List<NetworkAttachmentConfig> of(Task task) {
    return task.getSpec().getNetworksList();
  }
}
