package io.corral.worker.network;

import io.corral.api.EndpointSpec;
import io.corral.api.ServiceEndpoints;
import io.corral.api.TaskEndpoint;
import io.corral.worker.agent.TaskBackend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Balances service VIPs in each local task's own namespace ({@link VipRules}): the table is loaded
 * before the task starts and rewritten, atomically, whenever the backends of a service on one of
 * its networks change. Flows to a backend that left are cleared from the namespace's conntrack once
 * its task is gone (no longer attached), so that they fail over at once instead of hanging; not
 * while it still drains, which would cut the requests it is finishing.
 */
public final class VipBalancer implements EndpointTable.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(VipBalancer.class);

  private final Commands cmd;
  private final EndpointTable table;
  private final ExecutorService thread;

  /**
   * A task's namespace and networks, the VIPs last loaded in it (null: not known, adopted), and the
   * backends it no longer balances to whose flows are cleared once their tasks are gone.
   */
  private record Attached(
      String namespace, Set<String> networkIds, List<VipRules.Vip> loaded, Set<String> draining) {
    Attached(String namespace, Set<String> networkIds, List<VipRules.Vip> loaded) {
      this(namespace, networkIds, loaded, Set.of());
    }
  }

  private final Map<String, Attached> tasks = new HashMap<>();

  public VipBalancer(Commands cmd, EndpointTable table, ExecutorService thread) {
    this.cmd = cmd;
    this.table = table;
    this.thread = thread;
  }

  /** The VIPs of every service with one on the given networks, sorted, with their backends. */
  public static List<VipRules.Vip> vipsOf(List<ServiceEndpoints> entries) {
    List<VipRules.Vip> out = new ArrayList<>();
    for (ServiceEndpoints e : entries) {
      if (e.getMode() != EndpointSpec.ResolutionMode.VIP || e.getVirtualIp().isBlank()) {
        continue;
      }
      List<String> backends =
          e.getTasksList().stream()
              .map(TaskEndpoint::getAddress)
              .filter(a -> !a.isBlank())
              .map(Ipv4::host)
              .distinct()
              .sorted()
              .toList();
      out.add(new VipRules.Vip(e.getServiceId(), e.getVirtualIp(), backends));
    }
    out.sort(Comparator.comparing(VipRules.Vip::address).thenComparing(VipRules.Vip::serviceId));
    return out;
  }

  /** Loads the task's table now (before it starts); throws with nft's reason. */
  public synchronized void attach(String taskId, String namespace, Set<String> networkIds)
      throws TaskBackend.TaskException {
    List<VipRules.Vip> vips = vipsFor(networkIds);
    load(namespace, vips);
    tasks.put(taskId, new Attached(namespace, Set.copyOf(networkIds), vips));
  }

  /**
   * Follows a task found running after a restart without touching its table (the endpoint table is
   * empty until the first assignment arrives); its next change for the task's networks rewrites it.
   */
  public synchronized void adopt(String taskId, String namespace, Set<String> networkIds) {
    tasks.put(taskId, new Attached(namespace, Set.copyOf(networkIds), null));
  }

  /** Forgets the task (its namespace, and the table in it, go with it). */
  public synchronized void detach(String taskId) {
    tasks.remove(taskId);
  }

  @Override
  public void networksChanged(Set<String> networkIds) {
    try {
      thread.execute(() -> refresh(networkIds));
    } catch (RejectedExecutionException closed) {
      // The data path is closed (the daemon stops): nothing more to program.
    }
  }

  private synchronized void refresh(Set<String> changed) {
    for (Map.Entry<String, Attached> t : tasks.entrySet()) {
      Attached a = t.getValue();
      if (a.networkIds().stream().noneMatch(changed::contains)) {
        continue;
      }
      List<VipRules.Vip> vips = vipsFor(a.networkIds());
      List<VipRules.Vip> loaded = a.loaded();
      if (!vips.equals(loaded)) {
        try {
          load(a.namespace(), vips);
          loaded = vips;
        } catch (TaskBackend.TaskException e) {
          LOG.warn("cannot update the VIP table of task {}: {}", t.getKey(), e.getMessage());
          continue;
        }
      }
      Set<String> left = new HashSet<>(a.draining());
      left.addAll(removedBackends(a.loaded(), vips));
      Set<String> attached = attachedOn(a.networkIds());
      Set<String> gone = new HashSet<>(left);
      gone.removeAll(attached);
      left.retainAll(attached);
      t.setValue(new Attached(a.namespace(), a.networkIds(), loaded, Set.copyOf(left)));
      clearFlows(a.namespace(), gone);
    }
  }

  /** Addresses of the tasks attached to the given networks, whatever their state. */
  private Set<String> attachedOn(Set<String> networkIds) {
    Set<String> out = new HashSet<>();
    for (String id : networkIds) {
      for (ServiceEndpoints e : table.onNetwork(id)) {
        e.getAttachedList().stream()
            .map(TaskEndpoint::getAddress)
            .filter(addr -> !addr.isBlank())
            .map(Ipv4::host)
            .forEach(out::add);
      }
    }
    return out;
  }

  private List<VipRules.Vip> vipsFor(Set<String> networkIds) {
    List<ServiceEndpoints> entries = new ArrayList<>();
    networkIds.forEach(id -> entries.addAll(table.onNetwork(id)));
    return vipsOf(entries);
  }

  private void load(String namespace, List<VipRules.Vip> vips) throws TaskBackend.TaskException {
    cmd.inNamespace(namespace).run(List.of("nft", "-f", "-"), VipRules.render(vips));
  }

  /** Backends that were balanced to before and are not any more. */
  static Set<String> removedBackends(List<VipRules.Vip> before, List<VipRules.Vip> after) {
    Set<String> gone = new HashSet<>();
    if (before == null) {
      return gone;
    }
    before.forEach(v -> gone.addAll(v.backends()));
    after.forEach(v -> gone.removeAll(v.backends()));
    return gone;
  }

  private void clearFlows(String namespace, Set<String> backends) {
    for (String b : backends) {
      // Exit 1 with "0 flow entries" when there were none: nothing to report.
      cmd.inNamespace(namespace).attempt("conntrack", "-D", "--reply-src", b);
    }
  }
}
