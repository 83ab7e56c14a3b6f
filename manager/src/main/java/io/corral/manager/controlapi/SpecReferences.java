package io.corral.manager.controlapi;

import io.corral.api.ContainerSpec;
import io.corral.api.Network;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.ServiceSpec;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.ReadTx;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HashSet;
import java.util.Set;

/**
 * Resolves what a service spec refers to in the store, inside the transaction that writes the
 * service: networks named by id, name or unique id prefix ({@link References}) become ids (the form
 * the allocator and agents use) and all move into the task template, each network once; and secrets
 * and configs must exist, so a task never starts with a reference that leads nowhere.
 */
final class SpecReferences {

  private SpecReferences() {}

  static ServiceSpec resolve(ServiceSpec spec, ReadTx tx) {
    ServiceSpec.Builder b = spec.toBuilder();
    for (int i = 0; i < b.getNetworksCount(); i++) {
      b.setNetworks(i, network(b.getNetworks(i), "spec.networks[" + i + "]", tx));
    }
    for (int i = 0; i < b.getTask().getNetworksCount(); i++) {
      b.getTaskBuilder()
          .setNetworks(
              i, network(b.getTask().getNetworks(i), "spec.task_template.networks[" + i + "]", tx));
    }
    // The template's networks are the ones tasks use (the proto's rule: they win); the older
    // service-level field moves there so that there is one place to read.
    String field = "spec.task_template.networks";
    if (b.getTask().getNetworksCount() == 0 && b.getNetworksCount() > 0) {
      b.getTaskBuilder().addAllNetworks(b.getNetworksList());
      field = "spec.networks";
    }
    b.clearNetworks();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < b.getTask().getNetworksCount(); i++) {
      String id = b.getTask().getNetworks(i).getTarget();
      if (!seen.add(id)) {
        throw ServiceSpecValidator.invalid(
            field + "[" + i + "].target",
            "network "
                + tx.get(ObjectKind.NETWORK, id)
                    .map(n -> n.getSpec().getAnnotations().getName())
                    .orElse(id)
                + " is attached twice; attach each network once (put all its aliases in one"
                + " --network)");
      }
    }
    ContainerSpec c = spec.getTask().getContainer();
    for (int i = 0; i < c.getSecretsCount(); i++) {
      String id = c.getSecrets(i).getSecretId();
      if (tx.get(ObjectKind.SECRET, id).isEmpty()) {
        throw ServiceSpecValidator.invalid(
            "spec.task_template.container_spec.secrets[" + i + "]",
            "secret "
                + describe(id, c.getSecrets(i).getSecretName())
                + " not found; create it with `secret create` first");
      }
    }
    for (int i = 0; i < c.getConfigsCount(); i++) {
      String id = c.getConfigs(i).getConfigId();
      if (tx.get(ObjectKind.CONFIG, id).isEmpty()) {
        throw ServiceSpecValidator.invalid(
            "spec.task_template.container_spec.configs[" + i + "]",
            "config "
                + describe(id, c.getConfigs(i).getConfigName())
                + " not found; create it with `config create` first");
      }
    }
    return b.build();
  }

  private static NetworkAttachmentConfig network(
      NetworkAttachmentConfig n, String field, ReadTx tx) {
    String target = n.getTarget();
    Network found;
    try {
      found = References.find(tx, ObjectKind.NETWORK, target);
    } catch (StatusRuntimeException e) {
      // The field names where the reference is; a missing network is bad input to this request, not
      // a lookup.
      String why =
          e.getStatus().getCode() == Status.Code.NOT_FOUND
              ? "network " + target + " not found; create it with `network create` first"
              : e.getStatus().getDescription();
      throw ServiceSpecValidator.invalid(field + ".target", why);
    }
    if (found.getPendingDelete()) {
      throw ServiceSpecValidator.invalid(
          field + ".target",
          "network "
              + found.getSpec().getAnnotations().getName()
              + " is being removed; create a new network to attach to");
    }
    return n.toBuilder().setTarget(found.getId()).build();
  }

  private static String describe(String id, String name) {
    return name.isEmpty() ? id : name + " (" + id + ")";
  }
}
