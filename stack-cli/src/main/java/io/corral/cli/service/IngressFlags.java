package io.corral.cli.service;

import io.corral.api.EndpointSpec;
import picocli.CommandLine.Option;

/**
 * {@code --ingress-masquerade} and {@code --ingress-prefer-local} of {@code service create} and
 * {@code service update}: how the routing mesh hands a published port's connections to the tasks
 * (beyond docker). Either may be given as {@code --flag}, {@code --flag=true} or {@code
 * --flag=false}; one not given leaves the spec as it is.
 */
public final class IngressFlags {

  @Option(
      names = "--ingress-masquerade",
      paramLabel = "bool",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Routing-mesh connections reach the tasks from the node's ingress address (Swarm's "
              + "behaviour) instead of the client's own address (default false).")
  Boolean masquerade;

  @Option(
      names = "--ingress-prefer-local",
      paramLabel = "bool",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "A node running healthy tasks of the service sends its routing-mesh connections to "
              + "those only (default false).")
  Boolean preferLocal;

  boolean any() {
    return masquerade != null || preferLocal != null;
  }

  /** Sets the options given on {@code endpoint}, leaving the others as they are. */
  void applyTo(EndpointSpec.Builder endpoint) {
    if (masquerade != null) {
      endpoint.setIngressMasquerade(masquerade);
    }
    if (preferLocal != null) {
      endpoint.setIngressPreferLocal(preferLocal);
    }
  }
}
