package io.corral.cli.node;

import io.corral.api.ManagerStatus;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.NodeTLSInfo;
import io.corral.api.PluginDescription;
import io.corral.cli.format.ByteSize;
import io.corral.cli.format.GoTime;
import io.corral.cli.format.Pretty;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code node inspect --pretty}: docker's human-readable node template, tabs included (docker
 * prints it without a tabwriter, so the tabs reach the terminal as they are).
 */
final class NodePretty {

  private NodePretty() {}

  /**
   * One node's block, ending with a newline; blocks of several nodes follow each other directly, as
   * in docker.
   */
  static String render(Node n) {
    StringBuilder b = new StringBuilder();
    NodeDescription d = n.getDescription();
    b.append("ID:\t\t\t").append(n.getId());
    String name = n.getSpec().getAnnotations().getName();
    if (!name.isEmpty()) {
      b.append("\nName:\t\t\t").append(name);
    }
    labels(b, "Labels:", n.getSpec().getAnnotations().getLabelsMap());
    b.append("\nHostname:              \t").append(d.getHostname());
    b.append("\nJoined at:             \t").append(GoTime.string(n.getMeta().getCreatedAt()));
    b.append("\nStatus:");
    b.append("\n State:\t\t\t")
        .append(Pretty.capitalize(NodeWords.state(n.getStatus().getState())));
    if (!n.getStatus().getMessage().isEmpty()) {
      b.append("\n Message:              \t").append(Pretty.capitalize(n.getStatus().getMessage()));
    }
    b.append("\n Availability:         \t")
        .append(Pretty.capitalize(NodeWords.availability(n.getSpec().getAvailability())));
    if (!n.getStatus().getAddr().isEmpty()) {
      b.append("\n Address:\t\t").append(n.getStatus().getAddr());
    }
    if (n.hasManagerStatus()) {
      ManagerStatus ms = n.getManagerStatus();
      b.append("\nManager Status:");
      b.append("\n Address:\t\t").append(NodeJson.managerAddr(ms));
      b.append("\n Raft Status:\t\t")
          .append(Pretty.capitalize(NodeWords.reachability(ms.getReachability())));
      b.append("\n Leader:\t\t").append(ms.getLeader() ? "Yes" : "No");
    }
    b.append("\nPlatform:");
    b.append("\n Operating System:\t").append(d.getPlatform().getOs());
    b.append("\n Architecture:\t\t").append(d.getPlatform().getArchitecture());
    b.append("\nResources:");
    b.append("\n CPUs:\t\t\t").append(d.getResources().getNanoCpus() / 1_000_000_000L);
    long memory = d.getResources().getMemoryBytes();
    b.append("\n Memory:\t\t").append(memory == 0 ? "" : ByteSize.binary(memory));
    plugins(b, d.getEngine().getPluginsList());
    b.append("\nEngine Version:\t\t").append(d.getEngine().getEngineVersion());
    labels(b, "Engine Labels:", d.getEngine().getLabelsMap());
    tls(b, d.getTlsInfo());
    return b.append('\n').toString();
  }

  /** Go templates range over maps in key order. */
  private static void labels(StringBuilder b, String title, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return;
    }
    b.append('\n').append(title);
    new TreeMap<>(labels)
        .forEach((k, v) -> b.append("\n - ").append(k).append(v.isEmpty() ? "" : "=" + v));
  }

  /** Plugin names grouped by type ("Network:\t\toverlay, bridge"), types in key order. */
  private static void plugins(StringBuilder b, List<PluginDescription> plugins) {
    if (plugins.isEmpty()) {
      return;
    }
    Map<String, String> byType =
        plugins.stream()
            .collect(
                Collectors.groupingBy(
                    PluginDescription::getType,
                    TreeMap::new,
                    Collectors.mapping(PluginDescription::getName, Collectors.joining(", "))));
    b.append("\nPlugins:");
    byType.forEach(
        (type, names) ->
            b.append("\n ").append(type).append(':').append(names.isEmpty() ? "" : "\t\t" + names));
  }

  private static void tls(StringBuilder b, NodeTLSInfo t) {
    if (t.getTrustRoot().isEmpty()
        && t.getCertIssuerSubject().isEmpty()
        && t.getCertIssuerPublicKey().isEmpty()) {
      return;
    }
    b.append("\nTLS Info:");
    b.append("\n TrustRoot:\n").append(t.getTrustRoot().toStringUtf8());
    b.append("\n Issuer Subject:\t")
        .append(Base64.getEncoder().encodeToString(t.getCertIssuerSubject().toByteArray()));
    b.append("\n Issuer Public Key:\t")
        .append(Base64.getEncoder().encodeToString(t.getCertIssuerPublicKey().toByteArray()));
  }
}
