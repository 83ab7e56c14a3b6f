package io.corral.cli.network;

import io.corral.api.Annotations;
import io.corral.api.CreateNetworkRequest;
import io.corral.api.Driver;
import io.corral.api.IPAMConfig;
import io.corral.api.IPAMOptions;
import io.corral.api.Network;
import io.corral.api.NetworkSpec;
import io.corral.cli.command.CorralCommand;
import io.corral.cli.format.CliFailure;
import io.corral.cli.format.DaemonCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code corral network create [OPTIONS] NETWORK}: creates an overlay network and prints its id, as
 * {@code docker network create} does. Only the syntax of the flags is checked here; the manager
 * refuses overlapping subnets, a gateway outside the subnet or an unknown driver.
 */
@Command(name = "create", description = "Create a network.")
public final class NetworkCreateCommand extends CorralCommand {

  @Option(
      names = {"-d", "--driver"},
      paramLabel = "string",
      description = "Driver to manage the Network (default \"overlay\").")
  String driver = "overlay";

  @Option(
      names = {"-o", "--opt"},
      paramLabel = "map",
      description = "Set driver specific options.")
  List<String> options = new ArrayList<>();

  @Option(
      names = "--subnet",
      paramLabel = "strings",
      description = "Subnet in CIDR format that represents a network segment.")
  List<String> subnets = new ArrayList<>();

  @Option(
      names = "--gateway",
      paramLabel = "strings",
      description = "IPv4 Gateway for the master subnet.")
  List<String> gateways = new ArrayList<>();

  @Option(
      names = "--ip-range",
      paramLabel = "strings",
      description = "Allocate container ip from a sub-range.")
  List<String> ipRanges = new ArrayList<>();

  @Option(names = "--attachable", description = "Enable manual container attachment.")
  boolean attachable;

  @Option(names = "--internal", description = "Restrict external access to the network.")
  boolean internal;

  @Option(names = "--ingress", description = "Create swarm routing-mesh network.")
  boolean ingress;

  @Option(names = "--label", paramLabel = "list", description = "Set metadata on a network.")
  List<String> labels = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "NETWORK", description = "Name of the network.")
  String name;

  @Override
  protected int run() {
    Network created =
        DaemonCall.control(ctx())
            .createNetwork(CreateNetworkRequest.newBuilder().setSpec(spec()).build())
            .getNetwork();
    out().println(created.getId());
    return 0;
  }

  /** The spec the flags describe; throws naming the flag whose value is malformed. */
  NetworkSpec spec() {
    NetworkSpec.Builder spec =
        NetworkSpec.newBuilder()
            .setAnnotations(
                Annotations.newBuilder().setName(name).putAllLabels(keyValues("--label", labels)))
            .setDriverConfig(
                Driver.newBuilder().setName(driver).putAllOptions(keyValues("--opt", options)))
            .setAttachable(attachable)
            .setInternal(internal)
            .setIngress(ingress);
    List<IPAMConfig> configs = ipam();
    if (!configs.isEmpty()) {
      spec.setIpam(IPAMOptions.newBuilder().addAllConfigs(configs));
    }
    return spec.build();
  }

  /**
   * Docker's consolidateIpam, for the syntax only: every {@code --gateway} and {@code --ip-range}
   * belongs to a {@code --subnet}, given in the same order (one subnet per network here).
   */
  private List<IPAMConfig> ipam() {
    for (String s : subnets) {
      Cidr.parse("--subnet", s);
    }
    if (subnets.size() > 1) {
      throw new CliFailure(
          "--subnet: an overlay network takes one subnet, got " + String.join(", ", subnets));
    }
    if (subnets.isEmpty() && (!gateways.isEmpty() || !ipRanges.isEmpty())) {
      throw new CliFailure(
          (gateways.isEmpty() ? "--ip-range" : "--gateway")
              + ": every ip-range or gateway must have a corresponding subnet (--subnet)");
    }
    if (gateways.size() > 1) {
      throw new CliFailure("--gateway: cannot configure multiple gateways for one subnet");
    }
    if (ipRanges.size() > 1) {
      throw new CliFailure("--ip-range: cannot configure multiple ranges on the same subnet");
    }
    List<IPAMConfig> out = new ArrayList<>();
    if (subnets.isEmpty()) {
      return out;
    }
    IPAMConfig.Builder c =
        IPAMConfig.newBuilder().setFamily(IPAMConfig.AddressFamily.IPV4).setSubnet(subnets.get(0));
    if (!gateways.isEmpty()) {
      Cidr.address("--gateway", gateways.get(0));
      c.setGateway(gateways.get(0));
    }
    if (!ipRanges.isEmpty()) {
      Cidr.parse("--ip-range", ipRanges.get(0));
      c.setRange(ipRanges.get(0));
    }
    out.add(c.build());
    return out;
  }

  /** {@code k=v} or {@code k} (empty value), as docker's label and option maps. */
  private static Map<String, String> keyValues(String flag, List<String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      String key = (eq < 0 ? v : v.substring(0, eq)).strip();
      if (key.isEmpty()) {
        throw new CliFailure(
            "invalid argument \"" + v + "\" for \"" + flag + "\" flag: empty name");
      }
      out.put(key, eq < 0 ? "" : v.substring(eq + 1));
    }
    return out;
  }
}
