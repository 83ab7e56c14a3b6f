package io.corral.manager.placement;

import io.corral.api.Node;
import io.corral.api.NodeRole;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Docker's constraint language: {@code key==value} or {@code key!=value} with keys node.id,
 * node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.NAME and
 * engine.labels.NAME; values compare case-insensitively, and a missing label satisfies only {@code
 * !=} (as in swarmkit).
 */
public final class PlacementConstraints implements ConstraintCheck {

  private static final Map<String, String> ARCH_ALIASES =
      Map.of("amd64", "x86_64", "arm64", "aarch64");
  private static final List<String> KEYS =
      List.of("node.id", "node.hostname", "node.role", "node.platform.os", "node.platform.arch");
  private static final List<String> ROLES = List.of("manager", "worker");

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
    Optional<Parsed> parsed = split(constraint);
    if (parsed.isEmpty() || parsed.get().key().isEmpty() || parsed.get().value().isEmpty()) {
      return false;
    }
    String key = parsed.get().key();
    Optional<String> have = value(key, node);
    if (have.isEmpty()) {
      // An unknown key is an error (never matches); a missing label only satisfies "!=".
      return !parsed.get().equal() && isLabelKey(key);
    }
    boolean same =
        normalize(key, have.get()).equalsIgnoreCase(normalize(key, parsed.get().value()));
    return parsed.get().equal() == same;
  }

  /**
   * What is wrong with a constraint, in words a user can act on, or empty when it is well formed:
   * one operator, a known key (a label key with a name), a value, and for node.role "manager" or
   * "worker". The Control API calls this so that a constraint that could never hold is refused
   * instead of leaving tasks pending forever.
   */
  public static Optional<String> problem(String constraint) {
    Optional<Parsed> parsed = split(constraint);
    if (parsed.isEmpty()) {
      return Optional.of("expected one operator from ==, != in \"" + constraint + "\"");
    }
    Parsed p = parsed.get();
    if (p.key().isEmpty()) {
      return Optional.of("no key before the operator in \"" + constraint + "\"");
    }
    if (p.value().isEmpty()) {
      return Optional.of("no value after the operator in \"" + constraint + "\"");
    }
    if (p.value().contains("==") || p.value().contains("!=")) {
      return Optional.of("more than one operator in \"" + constraint + "\"");
    }
    String k = p.key().toLowerCase(Locale.ROOT);
    if (isLabelKey(k)) {
      if (k.endsWith(".labels.")) {
        return Optional.of(
            "label name missing in key \"" + p.key() + "\" (e.g. node.labels.zone==east)");
      }
      return Optional.empty();
    }
    if (!KEYS.contains(k)) {
      return Optional.of(
          "unknown key \""
              + p.key()
              + "\"; use one of "
              + String.join(", ", KEYS)
              + ", node.labels.NAME, engine.labels.NAME");
    }
    if (k.equals("node.role") && !ROLES.contains(p.value().toLowerCase(Locale.ROOT))) {
      return Optional.of("node.role is \"manager\" or \"worker\", not \"" + p.value() + "\"");
    }
    return Optional.empty();
  }

  /** A constraint split at its first operator, trimmed; empty when it has no operator. */
  private static Optional<Parsed> split(String constraint) {
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
      return Optional.empty();
    }
    return Optional.of(
        new Parsed(constraint.substring(0, at).trim(), equal, constraint.substring(at + 2).trim()));
  }

  private record Parsed(String key, boolean equal, String value) {}

  private static boolean isLabelKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.startsWith("node.labels.") || k.startsWith("engine.labels.");
  }

  private static String normalize(String key, String value) {
    return key.equalsIgnoreCase("node.platform.arch")
        ? ARCH_ALIASES.getOrDefault(value.toLowerCase(Locale.ROOT), value)
        : value;
  }

  private static Optional<String> value(String key, Node node) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.startsWith("node.labels.")) {
      return Optional.ofNullable(
          node.getSpec()
              .getAnnotations()
              .getLabelsMap()
              .get(key.substring("node.labels.".length())));
    }
    if (k.startsWith("engine.labels.")) {
      return Optional.ofNullable(
          node.getDescription()
              .getEngine()
              .getLabelsMap()
              .get(key.substring("engine.labels.".length())));
    }
    return switch (k) {
      case "node.id" -> Optional.of(node.getId());
      case "node.hostname" -> Optional.of(node.getDescription().getHostname());
      case "node.role" -> Optional.of(node.getRole() == NodeRole.MANAGER ? "manager" : "worker");
      case "node.platform.os" -> Optional.of(node.getDescription().getPlatform().getOs());
      case "node.platform.arch" ->
          Optional.of(node.getDescription().getPlatform().getArchitecture());
      default -> Optional.empty();
    };
  }
}
