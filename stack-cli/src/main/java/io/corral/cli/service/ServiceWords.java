package io.corral.cli.service;

import io.corral.api.Service;
import io.corral.api.ServiceSpec;

/** Docker's words for service settings: modes as {@code service ls} shows them. */
final class ServiceWords {

  private ServiceWords() {}

  /**
   * The MODE column: {@code replicated}, {@code global}, {@code replicated job}, {@code global
   * job}.
   */
  static String mode(ServiceSpec spec) {
    return switch (spec.getModeCase()) {
      case GLOBAL -> "global";
      case REPLICATED_JOB -> "replicated job";
      case GLOBAL_JOB -> "global job";
      default -> "replicated";
    };
  }

  static boolean isJob(ServiceSpec spec) {
    return spec.hasReplicatedJob() || spec.hasGlobalJob();
  }

  static String name(Service s) {
    return s.getSpec().getAnnotations().getName();
  }
}
