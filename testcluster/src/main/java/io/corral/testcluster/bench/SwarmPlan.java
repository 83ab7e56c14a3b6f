package io.corral.testcluster.bench;

/**
 * Whether Docker Swarm can take part in the benchmark: as it is, after {@code docker swarm init},
 * or not.
 */
record SwarmPlan(Action action, String reason) {

  /** What to do with the local engine. */
  enum Action {
    USE,
    INIT,
    UNAVAILABLE
  }

  /** What the local engine said about itself; {@code engineError} is empty when it answered. */
  record EngineFacts(
      String engineError, boolean imagePresent, String localNodeState, boolean controlAvailable) {}

  static SwarmPlan decide(EngineFacts facts, String image) {
    if (!facts.engineError().isEmpty()) {
      return unavailable(facts.engineError());
    }
    if (!facts.imagePresent()) {
      return unavailable(
          "image " + image + " is not on the local engine; run bin/ci-docker-setup as root");
    }
    return switch (facts.localNodeState()) {
      case "inactive" ->
          new SwarmPlan(Action.INIT, "the engine was not in a swarm: docker swarm init");
      case "active" ->
          facts.controlAvailable()
              ? new SwarmPlan(Action.USE, "the engine is a swarm manager already")
              : unavailable(
                  "the engine is a swarm worker; services can only be created on a manager");
      default ->
          unavailable(
              "the engine's swarm state is '"
                  + facts.localNodeState()
                  + "'; run docker swarm leave --force, or docker swarm init");
    };
  }

  static SwarmPlan unavailable(String why) {
    return new SwarmPlan(Action.UNAVAILABLE, why);
  }
}
