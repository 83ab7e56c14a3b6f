package io.corral.worker.dns;

import io.corral.api.EndpointSpec;
import io.corral.api.ServiceEndpoints;
import io.corral.api.TaskEndpoint;
import io.netty.handler.codec.dns.DnsRecordType;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Service discovery's decision: what one task asking for one name gets, from the node's {@link
 * ServiceEndpoints}. Immutable; built again whenever the endpoint table changes.
 *
 * <p>The asker is identified by the query's source address: the task whose address (in some entry's
 * {@code attached}) equals it, and its networks are those it is attached to. Per network it is on,
 * it can resolve a service's name and aliases (the VIP, or every backend for DNSRR), {@code
 * tasks.NAME} (every backend), and a backend task's own name ({@code <service>.<slot>.<taskid>}).
 * Backends are the entry's {@code tasks} only (RUNNING, healthy, desired RUNNING), so a stopping
 * task vanishes from DNS before its stop signal.
 *
 * <p>A source that is no known task (the node itself, a task whose entry has not arrived yet) is
 * treated as a task on no network: cluster names are NXDOMAIN to it and every other name is
 * forwarded. Answering it over all networks would let anything that can reach a gateway address
 * enumerate every network's services, defeating the per-network isolation.
 */
public final class Resolver {

  /** What to do with a query. */
  public enum Kind {
    /** Answer with {@link Answer#addresses()} (A records). */
    ADDRESSES,
    /** The name exists but has no record of the asked type (or no backend now): NOERROR, empty. */
    NO_DATA,
    /** A cluster name the asker may not see (a service on a network it is not on). */
    NXDOMAIN,
    /** Not a cluster name: relay to the node's own resolvers. */
    FORWARD
  }

  /** The decision for one query; addresses only for {@link Kind#ADDRESSES}. */
  public record Answer(Kind kind, List<Inet4Address> addresses) {
    static final Answer NO_DATA = new Answer(Kind.NO_DATA, List.of());
    static final Answer NXDOMAIN = new Answer(Kind.NXDOMAIN, List.of());
    static final Answer FORWARD = new Answer(Kind.FORWARD, List.of());

    public Answer {
      addresses = List.copyOf(addresses);
    }
  }

  /** An empty table: every name is forwarded. */
  public static final Resolver EMPTY = of(List.of());

  // Per network: lower-case name → its addresses (empty: the name exists, no backend now).
  private final Map<String, Map<String, List<Inet4Address>>> names;
  // Task address (no prefix) → the networks the task is attached to.
  private final Map<String, Set<String>> networksOf;
  // Task address → its own lower-case task names (one per network it is on; the same string).
  private final Map<String, Set<String>> ownNames;
  // Every cluster name on any network: those not answered for the asker are NXDOMAIN.
  private final Set<String> clusterNames;

  private Resolver(
      Map<String, Map<String, List<Inet4Address>>> names,
      Map<String, Set<String>> networksOf,
      Map<String, Set<String>> ownNames,
      Set<String> clusterNames) {
    this.names = names;
    this.networksOf = networksOf;
    this.ownNames = ownNames;
    this.clusterNames = clusterNames;
  }

  /** Indexes the node's entries; unparsable addresses are skipped (never thrown at the caller). */
  public static Resolver of(List<ServiceEndpoints> entries) {
    Map<String, Map<String, List<Inet4Address>>> names = new HashMap<>();
    Map<String, Set<String>> networksOf = new HashMap<>();
    Map<String, Set<String>> ownNames = new HashMap<>();
    Set<String> clusterNames = new HashSet<>();
    for (ServiceEndpoints e : entries) {
      Map<String, List<Inet4Address>> onNet =
          names.computeIfAbsent(e.getNetworkId(), k -> new HashMap<>());
      List<Inet4Address> backends = new ArrayList<>();
      for (TaskEndpoint t : e.getTasksList()) {
        Inet4Address a = address(t.getAddress());
        if (a == null) {
          continue;
        }
        backends.add(a);
        if (!t.getName().isEmpty()) {
          add(onNet, clusterNames, normalize(t.getName()), List.of(a));
        }
      }
      for (TaskEndpoint t : e.getAttachedList()) {
        String addr = withoutPrefix(t.getAddress());
        if (address(addr) == null) {
          continue;
        }
        networksOf.computeIfAbsent(addr, k -> new LinkedHashSet<>()).add(e.getNetworkId());
        if (!t.getName().isEmpty()) {
          String own = normalize(t.getName());
          ownNames.computeIfAbsent(addr, k -> new HashSet<>()).add(own);
          clusterNames.add(own);
        }
      }
      Inet4Address vip = address(e.getVirtualIp());
      // A VIP service whose VIP is not allocated yet still answers with its backends, which are
      // reachable directly: better than no answer for that moment.
      List<Inet4Address> serviceAnswer =
          e.getMode() == EndpointSpec.ResolutionMode.VIP && vip != null ? List.of(vip) : backends;
      List<String> serviceNames = new ArrayList<>();
      if (!e.getServiceName().isEmpty()) {
        serviceNames.add(e.getServiceName());
      }
      serviceNames.addAll(e.getAliasesList());
      for (String n : serviceNames) {
        String name = normalize(n);
        if (name.isEmpty()) {
          continue;
        }
        add(onNet, clusterNames, name, serviceAnswer);
        add(onNet, clusterNames, "tasks." + name, backends);
      }
    }
    return new Resolver(names, networksOf, ownNames, clusterNames);
  }

  private static void add(
      Map<String, List<Inet4Address>> onNet,
      Set<String> clusterNames,
      String name,
      List<Inet4Address> addresses) {
    clusterNames.add(name);
    onNet.computeIfAbsent(name, k -> new ArrayList<>()).addAll(addresses);
  }

  /** The decision for {@code name} of {@code type} asked by {@code source}. */
  public Answer resolve(InetAddress source, String name, DnsRecordType type) {
    String n = normalize(name);
    if (!clusterNames.contains(n)) {
      return Answer.FORWARD;
    }
    String from = source == null ? "" : source.getHostAddress();
    // Distinct, in network order: a service on two of the asker's networks has two VIPs (either
    // works); a DNSRR backend on both is still one address.
    Set<Inet4Address> found = new LinkedHashSet<>();
    boolean exists = false;
    Set<String> own = ownNames.getOrDefault(from, Set.of());
    for (String network : networksOf.getOrDefault(from, Set.of())) {
      List<Inet4Address> a = names.getOrDefault(network, Map.of()).get(n);
      if (a != null) {
        exists = true;
        found.addAll(a);
      }
    }
    // Its own name, even while it is not yet a healthy backend: a program looking itself up at
    // start-up must not fail because its health check has not passed yet.
    if (own.contains(n) && source instanceof Inet4Address self) {
      exists = true;
      found.add(self);
    }
    if (!exists) {
      return Answer.NXDOMAIN;
    }
    if (type != DnsRecordType.A || found.isEmpty()) {
      return Answer.NO_DATA;
    }
    return new Answer(Kind.ADDRESSES, new ArrayList<>(found));
  }

  /** Lower case, without the trailing dot: DNS names compare case-insensitively. */
  static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private static String withoutPrefix(String cidr) {
    int slash = cidr.indexOf('/');
    return slash < 0 ? cidr : cidr.substring(0, slash);
  }

  /** An IPv4 literal with or without prefix, else null (parsed here: never a name lookup). */
  static Inet4Address address(String cidr) {
    String[] parts = withoutPrefix(cidr).split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!parts[i].matches("\\d{1,3}") || Integer.parseInt(parts[i]) > 255) {
        return null;
      }
      b[i] = (byte) Integer.parseInt(parts[i]);
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      return null; // only for a wrong length, excluded above
    }
  }

  /** For tests and logs: the networks a source address is attached to. */
  Set<String> networksOf(InetAddress source) {
    return networksOf.getOrDefault(source.getHostAddress(), Set.of());
  }

  @Override
  public String toString() {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    names.forEach((k, v) -> sizes.put(k, v.size()));
    return "Resolver" + sizes;
  }
}
