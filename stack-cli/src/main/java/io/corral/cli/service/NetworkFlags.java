package io.corral.cli.service;

import io.corral.api.EndpointSpec;
import io.corral.api.NetworkAttachmentConfig;
import io.corral.api.ServiceSpec;
import io.corral.cli.format.CliFailure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The {@code --network} and {@code --endpoint-mode} flags of {@code service create}, and docker's
 * parser of a network attachment ({@code NAME}, or {@code name=NAME,alias=A,driver-opt=K=V}) that
 * {@code service update --network-add} shares. Only the syntax is checked here: the manager
 * resolves the names to ids and refuses a network that does not exist.
 */
public final class NetworkFlags {

  @Option(
      names = "--network",
      paramLabel = "network",
      description = "Network attachments (NAME, or name=NAME,alias=ALIAS[,alias=…]).")
  List<String> networks = new ArrayList<>();

  @Option(
      names = "--endpoint-mode",
      paramLabel = "string",
      description = "Endpoint mode (vip or dnsrr) (default \"vip\").")
  String endpointMode;

  /**
   * Sets the task template's networks and the endpoint mode of {@code spec} from the flags given.
   */
  void applyTo(ServiceSpec.Builder spec) {
    List<NetworkAttachmentConfig> parsed = new ArrayList<>();
    Set<String> targets = new LinkedHashSet<>();
    for (String n : networks) {
      NetworkAttachmentConfig a = parse("--network", n);
      if (!targets.add(a.getTarget())) {
        throw new CliFailure("--network: network " + a.getTarget() + " is given more than once");
      }
      parsed.add(a);
    }
    spec.getTaskBuilder().addAllNetworks(parsed);
    if (endpointMode != null) {
      spec.getEndpointBuilder().setMode(mode(endpointMode));
    }
  }

  /**
   * Docker's NetworkOpt: a value with no {@code =} is a network name; otherwise comma-separated
   * {@code key=value} fields, {@code name} (or {@code target}) required, {@code alias} repeatable,
   * {@code driver-opt=K=V} repeatable.
   *
   * @throws CliFailure naming {@code flag} and the field that is wrong
   */
  static NetworkAttachmentConfig parse(String flag, String value) {
    NetworkAttachmentConfig.Builder b = NetworkAttachmentConfig.newBuilder();
    if (!value.contains("=")) {
      if (value.isBlank() || value.contains(",")) {
        throw invalid(flag, value, "network name/id is not specified");
      }
      return b.setTarget(value).build();
    }
    for (String field : value.split(",", -1)) {
      int eq = field.indexOf('=');
      if (eq < 0) {
        throw invalid(flag, value, "invalid field " + field + ": expected key=value");
      }
      String key = field.substring(0, eq).strip().toLowerCase();
      String v = field.substring(eq + 1);
      switch (key) {
        case "name", "target" -> b.setTarget(v);
        case "alias" -> {
          if (v.isEmpty()) {
            throw invalid(flag, value, "alias: empty alias");
          }
          b.addAliases(v);
        }
        case "driver-opt" -> {
          int opt = v.indexOf('=');
          if (opt <= 0) {
            throw invalid(flag, value, "driver-opt: invalid format " + v + ": expected KEY=VALUE");
          }
          b.putDriverAttachmentOpts(v.substring(0, opt), v.substring(opt + 1));
        }
        default ->
            throw invalid(
                flag,
                value,
                "invalid field key "
                    + field.substring(0, eq)
                    + " (accepted: name, alias, driver-opt)");
      }
    }
    if (b.getTarget().isEmpty()) {
      throw invalid(flag, value, "network name/id is not specified");
    }
    return b.build();
  }

  /** The endpoint mode {@code --endpoint-mode} names. */
  static EndpointSpec.ResolutionMode mode(String word) {
    return switch (word.toLowerCase()) {
      case "vip" -> EndpointSpec.ResolutionMode.VIP;
      case "dnsrr" -> EndpointSpec.ResolutionMode.DNSRR;
      default -> throw invalid("--endpoint-mode", word, "must be \"vip\" or \"dnsrr\"");
    };
  }

  private static CliFailure invalid(String flag, String value, String why) {
    return new CliFailure("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why);
  }
}
