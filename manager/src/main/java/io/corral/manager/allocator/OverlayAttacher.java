package io.corral.manager.allocator;

import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.manager.controller.ClusterSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Attaches tasks to their overlay networks: one address per network of the task, a copy of the
 * allocated network and the aliases of its attachment config, and the service's allocated endpoint.
 * A task waits while one of its networks, or its service's virtual IPs, are not allocated, or when
 * a network has no address left.
 */
public final class OverlayAttacher implements NetworkAttacher {

  @Override
  public Pass begin(ClusterSnapshot snapshot) {
    return new OverlayPass(snapshot);
  }

  private static final class OverlayPass implements Pass {
    private final ClusterSnapshot snapshot;
    private AddressBook book;
    private final Map<String, String> vipReasons = new HashMap<>();

    OverlayPass(ClusterSnapshot snapshot) {
      this.snapshot = snapshot;
    }

    /**
     * Why the service's endpoint is not allocated yet: the words the VIP allocation gives, decided
     * on a scratch copy of this pass's view.
     */
    private String vipsPending(Service s) {
      ServiceVips.Result r =
          ServiceVips.allocate(
              s,
              new AddressBook(snapshot),
              id -> snapshot.network(id).map(OverlayAttacher::name).orElse(id));
      if (r instanceof ServiceVips.Waiting w) {
        return w.reason();
      }
      return "service "
          + s.getSpec().getAnnotations().getName()
          + ": virtual IPs not allocated yet";
    }

    @Override
    public Outcome attach(Task task) {
      Optional<Service> service = snapshot.service(task.getServiceId());
      Task.Builder b = task.toBuilder().clearNetworks();
      if (service.isPresent()) {
        Service s = service.get();
        if (!ServiceVips.upToDate(s)) {
          return new Waiting(vipReasons.computeIfAbsent(s.getId(), id -> vipsPending(s)));
        }
        if (s.hasEndpoint()) {
          b.setEndpoint(s.getEndpoint());
        }
      }
      List<NetworkAttachmentConfig> targets = NetworkTargets.of(task, service);
      if (targets.isEmpty()) {
        return new Attached(b.build(), List.of());
      }
      Set<String> seen = new HashSet<>();
      for (NetworkAttachmentConfig c : targets) {
        if (!seen.add(c.getTarget())) {
          continue;
        }
        Network n = snapshot.networks().get(c.getTarget());
        if (n == null) {
          return new Waiting("network " + c.getTarget() + " not found");
        }
        if (!NetworkAllocator.allocated(n)) {
          return new Waiting("network " + name(n) + " not allocated yet");
        }
      }
      if (book == null) {
        book = new AddressBook(snapshot);
      }
      List<AddressBook.Taken> taken = new ArrayList<>();
      seen.clear();
      for (NetworkAttachmentConfig c : targets) {
        if (!seen.add(c.getTarget())) {
          continue;
        }
        Network n = snapshot.networks().get(c.getTarget());
        Optional<AddressBook.Taken> t = book.take(n.getId());
        if (t.isEmpty()) {
          book.giveBack(taken);
          return new Waiting(
              "no address left in network "
                  + name(n)
                  + " ("
                  + NetworkIpam.of(n).orElseThrow().subnet()
                  + ")");
        }
        taken.add(t.get());
        b.addNetworks(
            NetworkAttachment.newBuilder()
                .setNetwork(n)
                .addAddresses(book.format(t.get()))
                .addAllAliases(c.getAliasesList())
                .putAllDriverAttachmentOpts(c.getDriverAttachmentOptsMap()));
      }
      return new Attached(b.build(), book.changes());
    }
  }

  static String name(Network n) {
    String name = n.getSpec().getAnnotations().getName();
    return name.isEmpty() ? n.getId() : name;
  }
}
