package io.corral.manager.allocator;

import io.corral.api.Endpoint;
import io.corral.api.EndpointSpec;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.Service;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A service's allocated endpoint: in VIP mode (the default) one virtual IP per network of its
 * tasks, none in DNSRR mode, with the endpoint spec and ports it was made for. Pure; the addresses
 * come from the pass's {@link AddressBook}.
 */
final class ServiceVips {

  private ServiceVips() {}

  /** What {@link #allocate} decided. */
  sealed interface Result permits Allocated, Waiting {}

  /** The service with its new endpoint. */
  record Allocated(Service service) implements Result {}

  /** The endpoint cannot be allocated yet. */
  record Waiting(String reason) implements Result {}

  /** The networks that must have a VIP, in spec order, each once. */
  static List<String> wanted(Service s) {
    if (s.getSpec().getEndpoint().getMode() != EndpointSpec.ResolutionMode.VIP) {
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    for (NetworkAttachmentConfig c : NetworkTargets.of(s.getSpec())) {
      ids.add(c.getTarget());
    }
    return List.copyOf(ids);
  }

  /** The endpoint matches the spec: nothing to allocate or release. */
  static boolean upToDate(Service s) {
    Endpoint e = s.getEndpoint();
    return e.getSpec().equals(s.getSpec().getEndpoint())
        && e.getPortsList().equals(s.getSpec().getEndpoint().getPortsList())
        && e.getVirtualIpsList().stream()
            .map(Endpoint.VirtualIP::getNetworkId)
            .toList()
            .equals(wanted(s));
  }

  /**
   * The service's endpoint brought up to date: VIPs kept on the networks it stays on, taken on new
   * ones, dropped on those it left. On failure what was taken is given back to the book.
   */
  static Result allocate(Service s, AddressBook book, Function<String, String> networkName) {
    Map<String, Endpoint.VirtualIP> have =
        s.getEndpoint().getVirtualIpsList().stream()
            .collect(Collectors.toMap(Endpoint.VirtualIP::getNetworkId, v -> v, (a, b) -> a));
    List<Endpoint.VirtualIP> vips = new ArrayList<>();
    List<AddressBook.Taken> taken = new ArrayList<>();
    for (String networkId : wanted(s)) {
      Endpoint.VirtualIP kept = have.get(networkId);
      if (kept != null) {
        vips.add(kept);
        continue;
      }
      Optional<NetworkIpam> ipam = book.ipam(networkId);
      if (ipam.isEmpty()) {
        book.giveBack(taken);
        return new Waiting("network " + networkName.apply(networkId) + " not allocated yet");
      }
      Optional<AddressBook.Taken> t = book.take(networkId);
      if (t.isEmpty()) {
        book.giveBack(taken);
        return new Waiting(
            "no address left in network "
                + networkName.apply(networkId)
                + " ("
                + ipam.get().subnet()
                + ")");
      }
      taken.add(t.get());
      vips.add(
          Endpoint.VirtualIP.newBuilder()
              .setNetworkId(networkId)
              .setAddr(book.format(t.get()))
              .build());
    }
    EndpointSpec spec = s.getSpec().getEndpoint();
    Endpoint endpoint =
        Endpoint.newBuilder()
            .setSpec(spec)
            .addAllPorts(spec.getPortsList())
            .addAllVirtualIps(vips)
            .build();
    return new Allocated(s.toBuilder().setEndpoint(endpoint).build());
  }
}
