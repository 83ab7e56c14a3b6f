package io.corral.manager.controlapi;

import io.corral.api.CreateNetworkRequest;
import io.corral.api.GetNetworkRequest;
import io.corral.api.ListNetworksRequest;
import io.corral.api.Network;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.NetworkSpec;
import io.corral.api.RemoveNetworkRequest;
import io.corral.api.Service;
import io.corral.common.RandomIds;
import io.corral.manager.allocator.Cidr;
import io.corral.manager.allocator.NetworkAllocator;
import io.corral.manager.allocator.NetworkTargets;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.ReadTx;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreException;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The network half of the Control API: `network create|inspect|ls|rm`. Specs are validated before
 * anything is written; the allocator gives each network its VNI and subnet afterwards. Removal is
 * refused while a service uses the network, and is deferred ({@code pending_delete}) while tasks
 * that have not terminated still hold addresses on it: the allocator deletes it once they are gone.
 */
final class NetworkApi {

  private final Store store;

  NetworkApi(Store store) {
    this.store = store;
  }

  Network create(CreateNetworkRequest request) {
    if (!request.hasSpec()) {
      throw NetworkSpecValidator.invalid("spec: missing; a network needs a spec");
    }
    NetworkSpec spec = NetworkSpecValidator.validate(request.getSpec());
    String name = spec.getAnnotations().getName();
    Network network = Network.newBuilder().setId(RandomIds.newId()).setSpec(spec).build();
    try {
      return store
          .update(
              tx -> {
                if (tx.byName(ObjectKind.NETWORK, name).isPresent()) {
                  throw alreadyExists(name);
                }
                checkOverlaps(tx, spec);
                if (spec.getIngress()) {
                  // One routing mesh per cluster, as in docker.
                  tx.find(ObjectKind.NETWORK, n -> n.getSpec().getIngress()).stream()
                      .findFirst()
                      .ifPresent(
                          other -> {
                            throw Status.ALREADY_EXISTS
                                .withDescription(
                                    "--ingress: an ingress network already exists ("
                                        + other.getSpec().getAnnotations().getName()
                                        + "); remove it first")
                                .asRuntimeException();
                          });
                }
                tx.create(network);
              })
          .first(ObjectKind.NETWORK)
          .orElseThrow();
    } catch (StoreException e) {
      if (e.code() == StoreException.Code.NAME_CONFLICT) {
        throw alreadyExists(name);
      }
      throw e;
    }
  }

  Network get(GetNetworkRequest request) {
    return store.view(tx -> find(tx, ref(request.getNetworkId(), request.getName())));
  }

  List<Network> list(ListNetworksRequest request) {
    return store.view(
        tx -> tx.find(ObjectKind.NETWORK, ListFilters.networks(request.getFilters())));
  }

  void remove(RemoveNetworkRequest request) {
    store.update(
        tx -> {
          Network n = find(tx, ref(request.getNetworkId(), request.getName()));
          String name = n.getSpec().getAnnotations().getName();
          List<String> users = new ArrayList<>();
          for (Service s : tx.list(ObjectKind.SERVICE)) {
            for (NetworkAttachmentConfig c : NetworkTargets.of(s.getSpec())) {
              if (c.getTarget().equals(n.getId())) {
                users.add(s.getSpec().getAnnotations().getName());
                break;
              }
            }
          }
          if (!users.isEmpty()) {
            users.sort(null);
            throw Status.FAILED_PRECONDITION
                .withDescription(
                    "network "
                        + name
                        + " is in use by service"
                        + (users.size() > 1 ? "s " : " ")
                        + String.join(", ", users)
                        + "; remove the service"
                        + (users.size() > 1 ? "s" : "")
                        + " or take the network out of "
                        + (users.size() > 1 ? "them" : "it")
                        + " first")
                .asRuntimeException();
          }
          if (n.getPendingDelete()) {
            return;
          }
          if (NetworkAllocator.inUse(ClusterSnapshot.read(tx), n.getId())) {
            // Tasks still hold addresses (they are stopping): the allocator deletes it after them.
            tx.update(n.toBuilder().setPendingDelete(true).build());
          } else {
            tx.delete(ObjectKind.NETWORK, n.getId());
          }
        });
  }

  /** A requested subnet must not overlap what another network has or asks for. */
  private static void checkOverlaps(ReadTx tx, NetworkSpec spec) {
    if (spec.getIpam().getConfigsCount() == 0
        || spec.getIpam().getConfigs(0).getSubnet().isEmpty()) {
      return;
    }
    Cidr subnet = Cidr.parse(spec.getIpam().getConfigs(0).getSubnet());
    for (Network other : tx.list(ObjectKind.NETWORK)) {
      Optional<String> clash =
          subnets(other).stream().filter(s -> Cidr.parse(s).overlaps(subnet)).findFirst();
      if (clash.isPresent()) {
        throw NetworkSpecValidator.invalid(
            "--subnet: "
                + subnet
                + " overlaps network \""
                + other.getSpec().getAnnotations().getName()
                + "\" ("
                + clash.get()
                + "); choose another subnet");
      }
    }
  }

  private static List<String> subnets(Network n) {
    List<String> out = new ArrayList<>();
    n.getIpam().getConfigsList().forEach(c -> addValid(out, c.getSubnet()));
    n.getSpec().getIpam().getConfigsList().forEach(c -> addValid(out, c.getSubnet()));
    return out;
  }

  private static void addValid(List<String> out, String cidr) {
    try {
      if (!cidr.isEmpty()) {
        Cidr.parse(cidr);
        out.add(cidr);
      }
    } catch (IllegalArgumentException e) {
      // Not a subnet anyone can be given; nothing overlaps it.
    }
  }

  private static String ref(String id, String name) {
    return id.isEmpty() ? name : id;
  }

  /** The network a reference names: its id, its exact name, or a unique prefix of its id. */
  static Network find(ReadTx tx, String ref) {
    return References.find(tx, ObjectKind.NETWORK, ref);
  }

  private static RuntimeException alreadyExists(String name) {
    return Status.ALREADY_EXISTS
        .withDescription("network with name " + name + " already exists")
        .asRuntimeException();
  }
}
