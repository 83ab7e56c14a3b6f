package io.corral.manager.orchestrator;

import io.corral.api.Node;
import io.corral.api.NodeRole;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Docker's constraint language: {@code key==value} or {@code key!=value} with keys node.id, node.hostname,
 * node.role, node.platform.os, node.platform.arch, node.labels.NAME and engine.labels.NAME; values compare
 * case-insensitively, and a missing label satisfies only {@code !=} (as in swarmkit).
 */
public final class SimpleConstraintCheck implements ConstraintCheck {

  private static final Map<String, String> ARCH_ALIASES = Map.of("amd64", "x86_64", "arm64", "aarch64");

  @Override
  public boolean matches(List<String> constraints, Node node) {
    for (String c : constraints) {
      if (!matches(c, node)) {
        return false;
      }
    }
    return true;
  }

  static boolean matches(String constraint, Node node) {
    int ne = constraint.indexOf("!=");
    int eq = constraint.indexOf("==");
    boolean equal;
    int at;
    if (ne >= 0 && (eq < 0 || ne < eq)) {
      equal = false;
      at = ne;
    } else if (eq >= 0) {
      equal = true;
      at = eq;
    } else {
      return false;
    }
    String key = constraint.substring(0, at).trim();
    String want = constraint.substring(at + 2).trim();
    if (key.isEmpty() || want.isEmpty()) {
      return false;
    }
    Optional<String> have = value(key, node);
    if (have.isEmpty()) {
      // An unknown key is an error (never matches); a missing label only satisfies "!=".
      return !equal && isLabelKey(key);
    }
    boolean same = normalize(key, have.get()).equalsIgnoreCase(normalize(key, want));
    return equal == same;
  }

  private static boolean isLabelKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.startsWith("node.labels.") || k.startsWith("engine.labels.");
  }

  private static String normalize(String key, String value) {
    return key.equalsIgnoreCase("node.platform.arch")
        ? ARCH_ALIASES.getOrDefault(value.toLowerCase(Locale.ROOT), value) : value;
  }

  private static Optional<String> value(String key, Node node) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.startsWith("node.labels.")) {
      return Optional.ofNullable(node.getSpec().getAnnotations().getLabelsMap()
          .get(key.substring("node.labels.".length())));
    }
    if (k.startsWith("engine.labels.")) {
      return Optional.ofNullable(node.getDescription().getEngine().getLabelsMap()
          .get(key.substring("engine.labels.".length())));
    }
    return switch (k) {
      case "node.id" -> Optional.of(node.getId());
      case "node.hostname" -> Optional.of(node.getDescription().getHostname());
      case "node.role" -> Optional.of(node.getRole() == NodeRole.MANAGER ? "manager" : "worker");
      case "node.platform.os" -> Optional.of(node.getDescription().getPlatform().getOs());
      case "node.platform.arch" -> Optional.of(node.getDescription().getPlatform().getArchitecture());
      default -> Optional.empty();
    };
  }
}
