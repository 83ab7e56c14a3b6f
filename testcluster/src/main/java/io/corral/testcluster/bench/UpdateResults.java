package io.corral.testcluster.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the update rounds of one system measured: times per phase, the cost of its CLI calls and
 * polls (both inside the figures), and why it stopped early, if it did.
 */
final class UpdateResults {

  private final String system;
  private final Map<UpdatePhase, PhaseTimes> times = new LinkedHashMap<>();
  private final Stats cliCalls = new Stats();
  private final Stats polls = new Stats();
  private String stoppedBecause;

  UpdateResults(String system) {
    this.system = system;
  }

  String system() {
    return system;
  }

  PhaseTimes at(UpdatePhase phase) {
    return times.computeIfAbsent(phase, p -> new PhaseTimes());
  }

  /** The times of a phase, or empty when it never ran. */
  Optional<PhaseTimes> find(UpdatePhase phase) {
    return Optional.ofNullable(times.get(phase));
  }

  Stats cliCalls() {
    return cliCalls;
  }

  Stats polls() {
    return polls;
  }

  void stop(String reason) {
    stoppedBecause = reason;
  }

  Optional<String> stoppedBecause() {
    return Optional.ofNullable(stoppedBecause);
  }
}
