package io.corral.manager.task;

import io.corral.api.Task;

/**
 * Identifies one slot of a service: its number for replicated services and jobs, its node for
 * global ones (whose tasks have slot 0).
 */
public record SlotKey(String serviceId, long slot, String nodeId) {

  public static SlotKey of(Task task) {
    return task.getSlot() > 0
        ? new SlotKey(task.getServiceId(), task.getSlot(), "")
        : new SlotKey(task.getServiceId(), 0, task.getNodeId());
  }

  public static SlotKey numbered(String serviceId, long slot) {
    return new SlotKey(serviceId, slot, "");
  }

  public static SlotKey onNode(String serviceId, String nodeId) {
    return new SlotKey(serviceId, 0, nodeId);
  }
}
