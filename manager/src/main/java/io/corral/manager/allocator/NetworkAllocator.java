package io.corral.manager.allocator;

import io.corral.api.Driver;
import io.corral.api.IPAMConfig;
import io.corral.api.IPAMOptions;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.Service;
import io.corral.api.Task;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ChangeWriter;
import io.corral.manager.controller.ClusterSnapshot;
import io.corral.manager.controller.Plan;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.Store;
import io.corral.manager.store.StoreEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's network allocator: gives each new network a VNI and a subnet (the requested one or
 * the next free one of the cluster's pool) with its gateway, brings services' virtual IPs in line
 * with their specs, and deletes networks whose removal was requested once no task holds an address
 * on them. Decides from a snapshot (pure {@link #planNetworks}, {@link #planVips}) and commits
 * through the {@link ChangeWriter}; task addresses are the {@link OverlayAttacher}'s.
 */
public final class NetworkAllocator {

  private static final Logger LOG = LoggerFactory.getLogger(NetworkAllocator.class);

  /** Driver option holding a network's VNI, as docker names it. */
  public static final String VXLAN_ID_OPTION = "com.docker.network.driver.overlay.vxlanid_list";

  /** The overlay driver's name. */
  public static final String OVERLAY = "overlay";

  /** First VNI handed out (docker's: lower ones are left to other uses). */
  public static final long FIRST_VNI = 4096;

  /** Largest VNI: 24 bits. */
  public static final long LAST_VNI = (1L << 24) - 1;

  private final Store store;

  public NetworkAllocator(Store store) {
    this.store = store;
  }

  /** Store changes that may give the allocator work. */
  public static boolean relevant(StoreEvent event) {
    return event.is(ObjectKind.NETWORK)
        || event.is(ObjectKind.SERVICE)
        || event.is(ObjectKind.TASK)
        || event.is(ObjectKind.CLUSTER);
  }

  /**
   * One pass: networks first, then (from a fresh view that includes them) services' virtual IPs.
   *
   * @return how many groups were written
   */
  public int allocatePending() {
    int written = 0;
    Plan networks = planNetworks(store.view(ClusterSnapshot::read));
    if (!networks.isEmpty()) {
      written += ChangeWriter.apply(store, networks).written();
    }
    Plan vips = planVips(store.view(ClusterSnapshot::read));
    if (!vips.isEmpty()) {
      written += ChangeWriter.apply(store, vips).written();
    }
    return written;
  }

  /**
   * Allocates every network that has no VNI or subnet yet, in one group that also requires every
   * other network unchanged (so two writers cannot hand out one subnet or VNI); and deletes
   * networks pending deletion that nothing uses any more.
   */
  public static Plan planNetworks(ClusterSnapshot snapshot) {
    Plan.Builder plan = new Plan.Builder();
    Set<Long> vnis = new HashSet<>();
    List<Cidr> subnets = new ArrayList<>();
    for (Network n : snapshot.networks().values()) {
      vni(n).ifPresent(vnis::add);
      subnets.addAll(subnetsOf(n));
    }
    SubnetPool pool = SubnetPool.of(snapshot.cluster());
    List<Change> allocated = new ArrayList<>();
    Set<String> written = new HashSet<>();
    for (Network n : snapshot.networks().values()) {
      if (n.getPendingDelete()) {
        if (!inUse(snapshot, n.getId())) {
          plan.add(new Change.Delete(n));
        }
        continue;
      }
      if (allocated(n)) {
        continue;
      }
      Optional<Network> a = allocate(n, vnis, subnets, pool);
      if (a.isEmpty()) {
        continue;
      }
      vni(a.get()).ifPresent(vnis::add);
      subnets.addAll(subnetsOf(a.get()));
      allocated.add(new Change.Update(a.get()));
      written.add(n.getId());
    }
    if (!allocated.isEmpty()) {
      for (Network other : snapshot.networks().values()) {
        if (!written.contains(other.getId())) {
          allocated.add(Change.Require.unchanged(other));
        }
      }
      plan.add(allocated.toArray(Change[]::new));
    }
    return plan.build();
  }

  /**
   * Brings every service's endpoint up to date, all in one group with the networks whose addresses
   * were taken (as the task allocator does).
   */
  public static Plan planVips(ClusterSnapshot snapshot) {
    AddressBook book = new AddressBook(snapshot);
    List<Change> services = new ArrayList<>();
    for (Service s : snapshot.services().values()) {
      if (ServiceVips.upToDate(s)) {
        continue;
      }
      ServiceVips.Result r =
          ServiceVips.allocate(
              s, book, id -> snapshot.network(id).map(OverlayAttacher::name).orElse(id));
      if (r instanceof ServiceVips.Allocated a) {
        services.add(new Change.Update(a.service()));
      } else if (r instanceof ServiceVips.Waiting w) {
        LOG.debug("service {}: {}", s.getSpec().getAnnotations().getName(), w.reason());
      }
    }
    Plan.Builder plan = new Plan.Builder();
    if (!services.isEmpty()) {
      List<Change> group = new ArrayList<>(book.changes());
      group.addAll(services);
      plan.add(group.toArray(Change[]::new));
    }
    return plan.build();
  }

  /** The network has its VNI and subnet. */
  public static boolean allocated(Network n) {
    return vni(n).isPresent() && NetworkIpam.of(n).isPresent();
  }

  /** The network's VNI, once allocated. */
  public static Optional<Long> vni(Network n) {
    String v = n.getDriverState().getOptionsOrDefault(VXLAN_ID_OPTION, "");
    try {
      return v.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(v.split(",")[0]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * A service's spec names the network, or a task that has not terminated holds an address on it: a
   * network removal waits for both to end.
   */
  public static boolean inUse(ClusterSnapshot snapshot, String networkId) {
    for (Service s : snapshot.services().values()) {
      for (NetworkAttachmentConfig c : NetworkTargets.of(s.getSpec())) {
        if (c.getTarget().equals(networkId)) {
          return true;
        }
      }
    }
    for (Task t : snapshot.tasks()) {
      if (AddressBook.holdsAddresses(t)) {
        for (NetworkAttachment a : t.getNetworksList()) {
          if (a.getNetwork().getId().equals(networkId)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Subnets a network has or asks for: no other network may be given one overlapping them. */
  static List<Cidr> subnetsOf(Network n) {
    List<Cidr> out = new ArrayList<>();
    for (IPAMConfig c : n.getIpam().getConfigsList()) {
      parse(c.getSubnet()).ifPresent(out::add);
    }
    for (IPAMConfig c : n.getSpec().getIpam().getConfigsList()) {
      parse(c.getSubnet()).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<Cidr> parse(String cidr) {
    if (cidr.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Cidr.parse(cidr));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The network with a VNI and its IPAM, or empty (logged) if none can be had. */
  static Optional<Network> allocate(
      Network n, Set<Long> vnis, List<Cidr> subnets, SubnetPool pool) {
    String name = OverlayAttacher.name(n);
    long vni = vni(n).orElse(-1L);
    if (vni < 0) {
      vni = FIRST_VNI;
      while (vnis.contains(vni) && vni <= LAST_VNI) {
        vni++;
      }
      if (vni > LAST_VNI) {
        LOG.warn("network {}: no VXLAN id left", name);
        return Optional.empty();
      }
    }
    IPAMConfig requested =
        n.getSpec().getIpam().getConfigsCount() > 0
            ? n.getSpec().getIpam().getConfigs(0)
            : IPAMConfig.getDefaultInstance();
    List<Cidr> others = new ArrayList<>(subnets);
    others.removeAll(subnetsOf(n));
    Cidr subnet;
    if (!requested.getSubnet().isEmpty()) {
      Optional<Cidr> r = parse(requested.getSubnet());
      if (r.isEmpty()) {
        LOG.warn("network {}: requested subnet {} is invalid", name, requested.getSubnet());
        return Optional.empty();
      }
      subnet = r.get();
      Optional<Cidr> clash = others.stream().filter(subnet::overlaps).findFirst();
      if (clash.isPresent()) {
        // The API refuses overlaps; two creates racing can still meet here: the later one waits.
        LOG.warn("network {}: subnet {} overlaps {}", name, subnet, clash.get());
        return Optional.empty();
      }
    } else {
      Optional<Cidr> next = pool.next(others);
      if (next.isEmpty()) {
        LOG.warn("network {}: the default address pool {} is exhausted", name, pool.pools());
        return Optional.empty();
      }
      subnet = next.get();
    }
    String gateway =
        requested.getGateway().isEmpty() ? Cidr.format(subnet.base() + 1) : requested.getGateway();
    IPAMConfig.Builder config =
        IPAMConfig.newBuilder()
            .setFamily(IPAMConfig.AddressFamily.IPV4)
            .setSubnet(subnet.toString())
            .setGateway(gateway)
            .setRange(requested.getRange())
            .putAllReserved(requested.getReservedMap());
    Map<String, String> options = new LinkedHashMap<>(n.getDriverState().getOptionsMap());
    options.put(VXLAN_ID_OPTION, Long.toString(vni));
    Network.Builder b = n.toBuilder();
    b.setDriverState(Driver.newBuilder().setName(OVERLAY).putAllOptions(options));
    b.setIpam(
        IPAMOptions.newBuilder()
            .setDriver(Driver.newBuilder().setName("default"))
            .addConfigs(config));
    return Optional.of(b.build());
  }
}
