package io.corral.cli.node;

import io.corral.api.GenericResource;
import io.corral.api.ManagerStatus;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.NodeTLSInfo;
import io.corral.cli.format.GoTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node in the shape of docker's {@code swarm.Node} JSON (field order and {@code omitempty} rules
 * as in the Engine API), for {@code node inspect}.
 */
final class NodeJson {

  private NodeJson() {}

  static Map<String, Object> of(Node n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ID", n.getId());
    Map<String, Object> version = new LinkedHashMap<>();
    putIf(version, "Index", n.getMeta().getVersion(), n.getMeta().getVersion() != 0);
    m.put("Version", version);
    m.put("CreatedAt", GoTime.rfc3339Nano(n.getMeta().getCreatedAt()));
    m.put("UpdatedAt", GoTime.rfc3339Nano(n.getMeta().getUpdatedAt()));
    m.put("Spec", spec(n));
    m.put("Description", description(n.getDescription()));
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("State", NodeWords.state(n.getStatus().getState()));
    putIf(status, "Message", n.getStatus().getMessage(), !n.getStatus().getMessage().isEmpty());
    putIf(status, "Addr", n.getStatus().getAddr(), !n.getStatus().getAddr().isEmpty());
    m.put("Status", status);
    if (n.hasManagerStatus()) {
      ManagerStatus ms = n.getManagerStatus();
      Map<String, Object> manager = new LinkedHashMap<>();
      putIf(manager, "Leader", true, ms.getLeader());
      manager.put("Reachability", NodeWords.reachability(ms.getReachability()));
      String addr = managerAddr(ms);
      putIf(manager, "Addr", addr, !addr.isEmpty());
      m.put("ManagerStatus", manager);
    }
    return m;
  }

  /**
   * The address docker shows for a manager: its cluster API address (docker's manager port 2377);
   * Corral's Raft port differs from it, so the Raft address is only the fallback.
   */
  static String managerAddr(ManagerStatus ms) {
    return ms.getApiAddr().isEmpty() ? ms.getAddr() : ms.getApiAddr();
  }

  private static Map<String, Object> spec(Node n) {
    Map<String, Object> spec = new LinkedHashMap<>();
    String name = n.getSpec().getAnnotations().getName();
    putIf(spec, "Name", name, !name.isEmpty());
    spec.put("Labels", new TreeMap<>(n.getSpec().getAnnotations().getLabelsMap()));
    spec.put("Role", NodeWords.role(n.getSpec().getDesiredRole()));
    spec.put("Availability", NodeWords.availability(n.getSpec().getAvailability()));
    return spec;
  }

  private static Map<String, Object> description(NodeDescription d) {
    Map<String, Object> m = new LinkedHashMap<>();
    putIf(m, "Hostname", d.getHostname(), !d.getHostname().isEmpty());
    Map<String, Object> platform = new LinkedHashMap<>();
    putIf(
        platform,
        "Architecture",
        d.getPlatform().getArchitecture(),
        !d.getPlatform().getArchitecture().isEmpty());
    putIf(platform, "OS", d.getPlatform().getOs(), !d.getPlatform().getOs().isEmpty());
    m.put("Platform", platform);
    Map<String, Object> resources = new LinkedHashMap<>();
    putIf(
        resources, "NanoCPUs", d.getResources().getNanoCpus(), d.getResources().getNanoCpus() != 0);
    putIf(
        resources,
        "MemoryBytes",
        d.getResources().getMemoryBytes(),
        d.getResources().getMemoryBytes() != 0);
    List<Object> generic = new ArrayList<>();
    for (GenericResource g : d.getResources().getGenericList()) {
      generic.add(genericResource(g));
    }
    putIf(resources, "GenericResources", generic, !generic.isEmpty());
    m.put("Resources", resources);
    Map<String, Object> engine = new LinkedHashMap<>();
    putIf(
        engine,
        "EngineVersion",
        d.getEngine().getEngineVersion(),
        !d.getEngine().getEngineVersion().isEmpty());
    putIf(
        engine,
        "Labels",
        new TreeMap<>(d.getEngine().getLabelsMap()),
        d.getEngine().getLabelsCount() > 0);
    List<Object> plugins = new ArrayList<>();
    d.getEngine()
        .getPluginsList()
        .forEach(
            p -> {
              Map<String, Object> plugin = new LinkedHashMap<>();
              plugin.put("Type", p.getType());
              plugin.put("Name", p.getName());
              plugins.add(plugin);
            });
    putIf(engine, "Plugins", plugins, !plugins.isEmpty());
    m.put("Engine", engine);
    m.put("TLSInfo", tlsInfo(d.getTlsInfo()));
    return m;
  }

  private static Map<String, Object> genericResource(GenericResource g) {
    Map<String, Object> spec = new LinkedHashMap<>();
    Map<String, Object> m = new LinkedHashMap<>();
    if (g.hasNamedResourceSpec()) {
      spec.put("Kind", g.getNamedResourceSpec().getKind());
      spec.put("Value", g.getNamedResourceSpec().getValue());
      m.put("NamedResourceSpec", spec);
    } else {
      spec.put("Kind", g.getDiscreteResourceSpec().getKind());
      spec.put("Value", g.getDiscreteResourceSpec().getValue());
      m.put("DiscreteResourceSpec", spec);
    }
    return m;
  }

  private static Map<String, Object> tlsInfo(NodeTLSInfo t) {
    Map<String, Object> m = new LinkedHashMap<>();
    putIf(m, "TrustRoot", t.getTrustRoot().toStringUtf8(), !t.getTrustRoot().isEmpty());
    // []byte fields: Go's JSON encodes them as base64.
    putIf(
        m,
        "CertIssuerSubject",
        t.getCertIssuerSubject().toByteArray(),
        !t.getCertIssuerSubject().isEmpty());
    putIf(
        m,
        "CertIssuerPublicKey",
        t.getCertIssuerPublicKey().toByteArray(),
        !t.getCertIssuerPublicKey().isEmpty());
    return m;
  }

  private static void putIf(Map<String, Object> m, String key, Object value, boolean present) {
    if (present) {
      m.put(key, value);
    }
  }
}
