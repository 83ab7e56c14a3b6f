package io.corral.manager.store;

import com.google.protobuf.ByteString;
import io.corral.api.Annotations;
import io.corral.api.Secret;
import io.corral.api.SecretSpec;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;

/** Small stored objects for store tests. */
final class Fixtures {

  private Fixtures() {}

  static Service service(String id, String name) {
    return Service.newBuilder()
        .setId(id)
        .setSpec(ServiceSpec.newBuilder().setAnnotations(Annotations.newBuilder().setName(name)))
        .build();
  }

  static Secret secret(String id, String name, String data) {
    return Secret.newBuilder()
        .setId(id)
        .setSpec(
            SecretSpec.newBuilder()
                .setAnnotations(Annotations.newBuilder().setName(name))
                .setData(ByteString.copyFromUtf8(data)))
        .build();
  }

  static Task task(String id, String serviceId, String nodeId) {
    return Task.newBuilder().setId(id).setServiceId(serviceId).setNodeId(nodeId).build();
  }

  static Service renamed(Service s, String name) {
    return s.toBuilder()
        .setSpec(
            s.getSpec().toBuilder()
                .setAnnotations(s.getSpec().getAnnotations().toBuilder().setName(name)))
        .build();
  }
}
