package io.corral.worker.network;

import io.corral.api.ServiceEndpoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's view of the services on its overlay networks, as the dispatcher sends it: one {@link
 * ServiceEndpoints} per (service, network) the node is attached to. The network driver (FDB and
 * neighbour entries), the DNS server and the VIP load balancer read it and are told which networks
 * changed. Thread-safe; listeners are called on the thread that applied the change, after it.
 */
public final class EndpointTable {

  /** Identifies one entry: a service on a network. */
  public record Key(String serviceId, String networkId) {
    public static Key of(ServiceEndpoints e) {
      return new Key(e.getServiceId(), e.getNetworkId());
    }
  }

  /** Told which networks' entries changed. */
  @FunctionalInterface
  public interface Listener {
    void networksChanged(Set<String> networkIds);
  }

  private final Map<Key, ServiceEndpoints> entries = new HashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** The whole set (a complete assignment message): entries not in it are withdrawn. */
  public void replaceAll(List<ServiceEndpoints> all) {
    Set<String> changed = new LinkedHashSet<>();
    synchronized (this) {
      Map<Key, ServiceEndpoints> next = new HashMap<>();
      all.forEach(e -> next.put(Key.of(e), e));
      entries.forEach(
          (k, v) -> {
            if (!v.equals(next.get(k))) {
              changed.add(k.networkId());
            }
          });
      next.forEach(
          (k, v) -> {
            if (!v.equals(entries.get(k))) {
              changed.add(k.networkId());
            }
          });
      entries.clear();
      entries.putAll(next);
    }
    notify(changed);
  }

  /** Changes on top of the current set (an incremental assignment message). */
  public void change(List<ServiceEndpoints> updated, List<Key> removed) {
    Set<String> changed = new LinkedHashSet<>();
    synchronized (this) {
      for (Key k : removed) {
        if (entries.remove(k) != null) {
          changed.add(k.networkId());
        }
      }
      for (ServiceEndpoints e : updated) {
        if (!e.equals(entries.put(Key.of(e), e))) {
          changed.add(e.getNetworkId());
        }
      }
    }
    notify(changed);
  }

  /** Every service's entry on one network. */
  public synchronized List<ServiceEndpoints> onNetwork(String networkId) {
    List<ServiceEndpoints> out = new ArrayList<>();
    entries.forEach(
        (k, v) -> {
          if (k.networkId().equals(networkId)) {
            out.add(v);
          }
        });
    return out;
  }

  /** Every entry. */
  public synchronized List<ServiceEndpoints> all() {
    return List.copyOf(entries.values());
  }

  private void notify(Set<String> changed) {
    if (changed.isEmpty()) {
      return;
    }
    Set<String> view = Set.copyOf(changed);
    listeners.forEach(l -> l.networksChanged(view));
  }
}
