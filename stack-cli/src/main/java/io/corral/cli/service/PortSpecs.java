package io.corral.cli.service;

import io.corral.api.PortConfig;
import io.corral.cli.format.CliFailure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Docker's parser of a published port ({@code swarmopts.PortOpt}), shared by {@code --publish},
 * {@code --publish-add} and {@code --publish-rm}: the short syntax {@code
 * [published:]target[/protocol]} (port ranges {@code 8080-8081:80-81} too) and the long one {@code
 * published=8080,target=80,protocol=tcp|udp|sctp,mode=ingress|host}. Errors are docker's words,
 * wrapped as pflag does so the whole value is named.
 */
final class PortSpecs {

  /** Docker tells the long syntax by a {@code key=value} anywhere in the value. */
  private static final Pattern LONG_SYNTAX = Pattern.compile("\\w+=\\w+(,\\w+=\\w+)*");

  private PortSpecs() {}

  /**
   * The ports {@code value} describes (more than one for a range).
   *
   * @throws CliFailure {@code invalid argument "VALUE" for "FLAG" flag: WHY}
   */
  static List<PortConfig> parse(String flag, String value) {
    try {
      return LONG_SYNTAX.matcher(value).find() ? List.of(longSyntax(value)) : shortSyntax(value);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(
          "invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + e.getMessage());
    }
  }

  private static PortConfig longSyntax(String value) {
    PortConfig.Builder p =
        PortConfig.newBuilder()
            .setProtocol(PortConfig.Protocol.TCP)
            .setPublishMode(PortConfig.PublishMode.INGRESS);
    for (String field : value.split(",", -1)) {
      // Docker lower-cases the whole field, keys and values alike.
      String lower = field.strip().toLowerCase(Locale.ROOT);
      int eq = lower.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("invalid field: " + field);
      }
      String key = lower.substring(0, eq);
      String v = lower.substring(eq + 1);
      switch (key) {
        case "protocol" -> p.setProtocol(protocol(v, "invalid protocol value '" + v + "'"));
        case "mode" ->
            p.setPublishMode(
                switch (v) {
                  case "ingress" -> PortConfig.PublishMode.INGRESS;
                  case "host" -> PortConfig.PublishMode.HOST;
                  default ->
                      throw new IllegalArgumentException(
                          "invalid publish mode value ("
                              + v
                              + "): must be either 'ingress' or 'host'");
                });
        case "target" -> p.setTargetPort(uint16("target", v));
        case "published" -> p.setPublishedPort(uint16("published", v));
        default ->
            throw new IllegalArgumentException(
                "invalid field key: " + key + " (accepted: published, target, protocol, mode)");
      }
    }
    if (p.getTargetPort() == 0) {
      throw new IllegalArgumentException("missing mandatory field 'target'");
    }
    return p.build();
  }

  /** strconv.ParseUint(v, 10, 16) in docker's words for the long syntax. */
  private static int uint16(String what, String v) {
    if (v.isEmpty() || !v.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          "invalid " + what + " port (" + v + "): value must be an integer: invalid syntax");
    }
    if (v.length() > 5 || Integer.parseInt(v) > 65535) {
      throw new IllegalArgumentException(
          "invalid " + what + " port (" + v + "): value must be an integer: value out of range");
    }
    return Integer.parseInt(v);
  }

  /** nat.ParsePortSpec then ConvertPortToPortConfig: {@code [ip:][published:]target[/proto]}. */
  private static List<PortConfig> shortSyntax(String value) {
    String[] parts = value.split(":", -1);
    String ip = "";
    String hostPort = "";
    String containerPort;
    if (parts.length == 1) {
      containerPort = parts[0];
    } else if (parts.length == 2) {
      hostPort = parts[0];
      containerPort = parts[1];
    } else {
      int n = parts.length;
      ip = String.join(":", Arrays.copyOfRange(parts, 0, n - 2));
      hostPort = parts[n - 2];
      containerPort = parts[n - 1];
    }
    String proto = "tcp";
    int slash = containerPort.indexOf('/');
    if (slash >= 0) {
      String p = containerPort.substring(slash + 1);
      containerPort = containerPort.substring(0, slash);
      if (!p.isEmpty()) {
        proto = p;
      }
    }
    if (containerPort.isEmpty()) {
      throw new IllegalArgumentException("no port specified: " + value + "<empty>");
    }
    PortConfig.Protocol protocol =
        protocol(proto.toLowerCase(Locale.ROOT), "invalid proto: " + proto);
    if (!ip.isEmpty()) {
      // Swarm publishes on every address of a node; docker refuses a host IP for services.
      throw new IllegalArgumentException("hostip is not supported");
    }
    int[] target = range(containerPort, "invalid containerPort: " + containerPort);
    int[] published = hostPort.isEmpty() ? null : range(hostPort, "invalid hostPort: " + hostPort);
    int count = target[1] - target[0] + 1;
    if (published != null
        && published[1] - published[0] != target[1] - target[0]
        && target[1] != target[0]) {
      throw new IllegalArgumentException(
          "invalid ranges specified for container and host Ports: "
              + containerPort
              + " and "
              + hostPort);
    }
    List<PortConfig> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PortConfig.Builder p =
          PortConfig.newBuilder()
              .setProtocol(protocol)
              .setTargetPort(target[0] + i)
              .setPublishMode(PortConfig.PublishMode.INGRESS);
      if (published == null) {
        out.add(p.build());
      } else if (count == 1) {
        // One target, a range of published ports: each of them goes to the target.
        for (int h = published[0]; h <= published[1]; h++) {
          out.add(p.setPublishedPort(h).build());
        }
      } else {
        out.add(p.setPublishedPort(published[0] + i).build());
      }
    }
    return out;
  }

  /** nat's parsePortRange: {@code N} or {@code N-M}, each 0–65535, M not below N. */
  private static int[] range(String ports, String why) {
    int dash = ports.indexOf('-');
    String start = dash < 0 ? ports : ports.substring(0, dash);
    String end = dash < 0 ? start : ports.substring(dash + 1);
    int s = port(start, why);
    int e = port(end, why);
    if (e < s) {
      throw new IllegalArgumentException(why);
    }
    return new int[] {s, e};
  }

  private static int port(String p, String why) {
    if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(why);
    }
    int v = Integer.parseInt(p);
    if (v > 65535) {
      throw new IllegalArgumentException(why);
    }
    return v;
  }

  private static PortConfig.Protocol protocol(String word, String why) {
    return switch (word) {
      case "tcp" -> PortConfig.Protocol.TCP;
      case "udp" -> PortConfig.Protocol.UDP;
      case "sctp" -> PortConfig.Protocol.SCTP;
      default -> throw new IllegalArgumentException(why);
    };
  }

  /** Docker's portConfigToString, the key ports are matched and sorted by in updates. */
  static String key(PortConfig p) {
    return p.getPublishedPort()
        + ":"
        + p.getTargetPort()
        + "/"
        + p.getProtocol().name().toLowerCase(Locale.ROOT)
        + "/"
        + (p.getPublishMode() == PortConfig.PublishMode.HOST ? "host" : "ingress");
  }
}
