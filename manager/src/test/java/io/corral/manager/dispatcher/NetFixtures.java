package io.corral.manager.dispatcher;

import io.corral.api.Annotations;
import io.corral.api.Endpoint;
import io.corral.api.EndpointSpec;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.Node;
import io.corral.api.NodeStatus;
import io.corral.api.PortConfig;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.api.TaskSpec;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;

/**
 * Services, tasks and nodes on overlay networks, built by hand as the allocator would fill them.
 */
final class NetFixtures {

  private NetFixtures() {}

  static Node node(String id, String addr) {
    return Node.newBuilder()
        .setId(id)
        .setStatus(NodeStatus.newBuilder().setState(NodeStatus.State.READY).setAddr(addr))
        .build();
  }

  /** A VIP-mode service on {@code network} with the VIP, an alias and port 80. */
  static Service vipService(String id, String name, String network, String vip) {
    return Service.newBuilder()
        .setId(id)
        .setSpec(
            ServiceSpec.newBuilder()
                .setAnnotations(Annotations.newBuilder().setName(name))
                .setTask(
                    TaskSpec.newBuilder()
                        .addNetworks(
                            NetworkAttachmentConfig.newBuilder()
                                .setTarget(network)
                                .addAliases(name + "-alias")))
                .setEndpoint(EndpointSpec.newBuilder().setMode(EndpointSpec.ResolutionMode.VIP)))
        .setEndpoint(
            Endpoint.newBuilder()
                .addVirtualIps(Endpoint.VirtualIP.newBuilder().setNetworkId(network).setAddr(vip))
                .addPorts(PortConfig.newBuilder().setName("http").setTargetPort(80)))
        .build();
  }

  /** A running task of the service on the node, with an address on {@code network}. */
  static Task task(
      String id, Service service, long slot, String node, String network, String addr) {
    Task.Builder b =
        Task.newBuilder()
            .setId(id)
            .setServiceId(service.getId())
            .setSlot(slot)
            .setNodeId(node)
            .setAnnotations(
                Annotations.newBuilder()
                    .setName(service.getSpec().getAnnotations().getName() + "." + slot + "." + id))
            .setDesiredState(TaskState.RUNNING)
            .setStatus(TaskStatus.newBuilder().setState(TaskState.RUNNING));
    if (network != null) {
      b.addNetworks(
          NetworkAttachment.newBuilder()
              .setNetwork(Network.newBuilder().setId(network))
              .addAddresses(addr));
    }
    return b.build();
  }

  static Task withState(Task t, TaskState state) {
    return t.toBuilder().setStatus(t.getStatus().toBuilder().setState(state)).build();
  }

  static Task withHealth(Task t, TaskStatus.Health health) {
    return t.toBuilder().setStatus(t.getStatus().toBuilder().setHealth(health)).build();
  }

  static Task withDesired(Task t, TaskState desired) {
    return t.toBuilder().setDesiredState(desired).build();
  }
}
