package io.corral.cli.service;

import io.corral.api.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code --publish} flag of {@code service create} (docker's short or long syntax, see {@link
 * PortSpecs}) and the routing-mesh options of {@link IngressFlags}. Only the syntax is checked
 * here: the manager allocates a port left out and refuses one another service publishes.
 */
public final class PublishFlags {

  @Option(
      names = {"-p", "--publish"},
      paramLabel = "port",
      description =
          "Publish a port as a node port ([published:]target[/protocol], or "
              + "published=P,target=T,protocol=tcp|udp|sctp,mode=ingress|host).")
  List<String> publish = new ArrayList<>();

  @Mixin IngressFlags ingress = new IngressFlags();

  /** Sets the endpoint's ports and routing-mesh options of {@code spec} from the flags given. */
  void applyTo(ServiceSpec.Builder spec) {
    if (publish.isEmpty() && !ingress.any()) {
      return;
    }
    for (String p : publish) {
      spec.getEndpointBuilder().addAllPorts(PortSpecs.parse("--publish", p));
    }
    ingress.applyTo(spec.getEndpointBuilder());
  }
}
